package dev.holdfast.testkit;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica whose WAL replay {@link PostgresCluster#lag} paused: replay resumes when its duration has passed or
 * when this is closed, whichever comes first. Thread-safe; closing it twice, or after it resumed by itself, does
 * nothing.
 *
 * <pre>{@code
 * try (ReplayPause pause = cluster.lag(replica, Duration.ofSeconds(5))) {
 *   // writes on the leader are not visible on the replica until the pause ends
 * }
 * }</pre>
 */
public final class ReplayPause implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayPause.class);

  private final PostgresCluster cluster;
  private final PostgresCluster.Node replica;
  private final AtomicBoolean resumed = new AtomicBoolean();
  private volatile ScheduledFuture<?> scheduled;

  ReplayPause(PostgresCluster cluster, PostgresCluster.Node replica) {
    this.cluster = cluster;
    this.replica = replica;
  }

  void scheduleResume(ScheduledExecutorService timer, Duration after) {
    scheduled = timer.schedule(() -> {
      try {
        resume();
      } catch (RuntimeException e) {
        // Nobody waits on the timer's thread; the node may be down, and then its replay restarts unpaused.
        LOG.warn("Could not resume WAL replay on {}: {}", replica.name(), e.getMessage());
      }
    }, after.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The paused replica. */
  public PostgresCluster.Node replica() {
    return replica;
  }

  /** Whether replay has been resumed (by the timer or by {@link #resume()}). */
  public boolean isResumed() {
    return resumed.get();
  }

  /**
   * Resumes replay now (removes the apply delay from the replica's Patroni configuration); nothing to do if it already was, or if the cluster is
   * closed. A replica that was promoted meanwhile replays nothing any more, which counts as resumed.
   *
   * @throws IllegalStateException if the replica cannot be reached
   */
  public void resume() {
    if (!resumed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> s = scheduled;
    if (s != null) {
      s.cancel(false);
    }
    if (cluster.isClosed()) {
      // Nothing is left to resume; closing the handle after the cluster is no error.
      return;
    }
    try {
      if ("t".equals(cluster.queryValue(replica, "SELECT pg_is_in_recovery()"))) {
        cluster.setApplyDelay(replica, null);
      }
    } catch (RuntimeException e) {
      resumed.set(false);
      throw e;
    }
  }

  /** Same as {@link #resume()}. */
  @Override
  public void close() {
    resume();
  }

  @Override
  public String toString() {
    return "ReplayPause{" + replica.name() + (resumed.get() ? ", resumed" : ", paused") + "}";
  }
}
