package dev.holdfast.jdbc.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds leased connections by their attempt's deadline with one watcher thread, instead of a timer per statement.
 * When a lease outlives its deadline the watcher has the server cancel what runs on it (a cancel request: a clean
 * {@code 57014}, through PgBouncer too); if it is still leased {@code grace} later (the cancel got no answer: a
 * silent network), the watcher aborts the connection, which closes its socket and ends the blocked read.
 *
 * <p>Why not pgjdbc's {@code setQueryTimeout} and a socket timeout per call: pgjdbc arms a timer task for every
 * execution (scheduling it wakes the timer thread), and the socket timeout costs a get and two sets of
 * {@code SO_TIMEOUT} per call; measured in the benchmarks' "What a per-call timeout costs" table, the two made
 * most of holdfast's latency over hand-written pgjdbc. Here a lease costs an insert and a removal in a concurrent
 * set; the watcher sleeps until the earliest deadline and only wakes early when a lease has an earlier one
 * (rare: attempts share a timeout), and most leases end long before anything wakes.
 *
 * <p>A cancel is never sent to a connection back in the pool: ending a lease waits for a cancel in flight, as
 * pgjdbc's own statement timeout does; an aborted connection is never reused ({@link Ticket#done()} says so, and
 * the lease evicts it). Thread-safe. {@link #close()} stops the watcher.
 */
public final class StatementWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatementWatch.class);

  /** What the watcher does to a lease that outlives its deadline. */
  public interface Target {
    /** Asks the server to cancel what runs on the connection. */
    void cancel() throws Exception;

    /** Closes the connection's socket, so that a blocked read ends. */
    void abort() throws Exception;
  }

  private enum State { ACTIVE, CANCELLING, CANCELLED, ABORTING, ABORTED, DONE }

  /** One watched lease. */
  public final class Ticket {
    private final Target target;
    private final long cancelAt;
    private final long abortAt;
    private State state = State.ACTIVE;
    private boolean cancelSent;

    private Ticket(Target target, long cancelAt, long abortAt) {
      this.target = target;
      this.cancelAt = cancelAt;
      this.abortAt = abortAt;
    }

    /**
     * Ends the watch; waits for a cancel in flight, so that it cannot reach the connection's next user.
     *
     * @return whether the watcher aborted the connection, which must then be evicted, not reused
     */
    public boolean done() {
      tickets.remove(this);
      synchronized (this) {
        boolean interrupted = false;
        while (state == State.CANCELLING || state == State.ABORTING) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        boolean aborted = state == State.ABORTED;
        state = State.DONE;
        return aborted;
      }
    }

    private void cancel() {
      synchronized (this) {
        if (state != State.ACTIVE) {
          return;
        }
        state = State.CANCELLING;
      }
      try {
        target.cancel();
      } catch (Exception | LinkageError e) {
        log.debug("could not cancel a statement past its deadline: {}", e.toString());
      } finally {
        synchronized (this) {
          if (state == State.CANCELLING) {
            state = State.CANCELLED;
          }
          notifyAll();
        }
      }
    }

    private void abort() {
      synchronized (this) {
        if (state == State.DONE || state == State.ABORTING || state == State.ABORTED) {
          return;
        }
        state = State.ABORTING;
      }
      try {
        target.abort();
      } catch (Exception | LinkageError e) {
        log.debug("could not abort a connection past its deadline: {}", e.toString());
      } finally {
        synchronized (this) {
          state = State.ABORTED;
          notifyAll();
        }
      }
    }
  }

  private final LongSupplier nanoTime;
  private final long graceNanos;
  private final boolean threaded;
  private final Set<Ticket> tickets = ConcurrentHashMap.newKeySet();
  /** When the watcher wakes next; {@code Long.MAX_VALUE} while it scans, so that every new lease wakes it. */
  private volatile long wakeAt = Long.MAX_VALUE;
  private volatile boolean closed;
  private Thread watcher;
  private ExecutorService actions;

  /**
   * @param grace how long after a cancel the watcher waits before it aborts the connection
   */
  public StatementWatch(java.time.Duration grace) {
    this(System::nanoTime, grace, true);
  }

  /** With {@code nanoTime} as the clock; tests drive {@link #scan(long)} themselves and start no thread. */
  StatementWatch(LongSupplier nanoTime, java.time.Duration grace) {
    this(nanoTime, grace, false);
  }

  private StatementWatch(LongSupplier nanoTime, java.time.Duration grace, boolean threaded) {
    this.nanoTime = nanoTime;
    this.graceNanos = grace.toNanos();
    this.threaded = threaded;
  }

  /**
   * Watches a lease until {@link Ticket#done()}.
   *
   * @param deadlineNanos when, on {@link System#nanoTime()}'s clock, the lease's attempt is out of time
   */
  public Ticket watch(Target target, long deadlineNanos) {
    Ticket t = new Ticket(target, deadlineNanos, saturatedAdd(deadlineNanos, graceNanos));
    tickets.add(t);
    if (threaded && deadlineNanos < wakeAt) {
      wake();
    }
    return t;
  }

  private void wake() {
    Thread w = watcher;
    if (w == null) {
      w = start();
    }
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  private synchronized Thread start() {
    if (watcher == null && !closed) {
      actions = new ThreadPoolExecutor(0, 8, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "holdfast-jdbc-cancel");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.CallerRunsPolicy());
      Thread w = new Thread(this::run, "holdfast-jdbc-statement-watch");
      w.setDaemon(true);
      watcher = w;
      w.start();
    }
    return watcher;
  }

  private void run() {
    while (!closed) {
      long now = nanoTime.getAsLong();
      long next = scan(now);
      if (next != Long.MAX_VALUE && next <= now) {
        continue;
      }
      // A lease added during the scan saw MAX_VALUE and unparked us: that permit makes this park return at once.
      LockSupport.parkNanos(this, next == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(60) : next - now);
    }
  }

  /**
   * Cancels and aborts what is due at {@code now}, and returns when the next thing falls due
   * ({@code Long.MAX_VALUE} for nothing).
   */
  long scan(long now) {
    wakeAt = Long.MAX_VALUE;
    long next = Long.MAX_VALUE;
    for (Ticket t : tickets) {
      if (now - t.abortAt >= 0) {
        tickets.remove(t);
        run(t::abort);
        continue;
      }
      if (!t.cancelSent && now - t.cancelAt >= 0) {
        t.cancelSent = true;
        run(t::cancel);
      }
      next = Math.min(next, t.cancelSent ? t.abortAt : t.cancelAt);
    }
    wakeAt = next;
    return next;
  }

  private void run(Runnable action) {
    ExecutorService a = actions;
    if (a == null) {
      action.run();
    } else {
      a.execute(action);
    }
  }

  /** Whether the watcher thread is running (for tests). */
  synchronized boolean watcherAlive() {
    return watcher != null && watcher.isAlive();
  }

  /** Leases being watched (for tests and diagnostics). */
  int watching() {
    return tickets.size();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Stops the watcher; leases still watched are no longer bounded by it. Idempotent. */
  @Override
  public void close() {
    Thread w;
    ExecutorService a;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = watcher;
      a = actions;
    }
    if (w != null) {
      LockSupport.unpark(w);
      try {
        w.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (a != null) {
      a.shutdown();
    }
  }
}
