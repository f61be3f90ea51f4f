package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A DAO that hangs and ignores timeouts: the caller is released by the scheduler's clock, not by the DAO. */
class ResilientTimeoutTest {
  interface SlowDao {
    @Attempts(1)
    @Timeout("PT2S")
    Optional<String> findSlowly();
  }

  interface LaterDao {
    @Attempts(1)
    @Timeout("1s")
    CompletableFuture<String> findLater();
  }

  /** A manual clock whose immediate tasks run on real worker threads, so that a hanging attempt can be abandoned. */
  static final class WorkerScheduler implements Scheduler {
    final ManualScheduler time = new ManualScheduler();
    final ExecutorService workers = Executors.newCachedThreadPool();

    @Override
    public long nanoTime() {
      return time.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      if (delay.isZero()) {
        Future<?> f = workers.submit(task);
        return () -> f.cancel(false);
      }
      return time.schedule(delay, task);
    }

    @Override
    public void sleep(Duration duration) {
      time.sleep(duration);
    }

    @Override
    public void close() {
      workers.shutdownNow();
    }
  }

  private final WorkerScheduler scheduler = new WorkerScheduler();
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    caller.shutdownNow();
    scheduler.close();
  }

  @Test
  void releasesTheCallerWhenTheTimeoutPassesWhileTheDaoHangs() throws Exception {
    SlowDao hanging = () -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.of("late");
    };
    Guard guard = Guard.builder("slow-db").scheduler(scheduler).build();
    SlowDao dao = Resilient.wrap(SlowDao.class, hanging, guard);

    Future<Throwable> outcome = caller.submit(() -> {
      try {
        dao.findSlowly();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).as(() -> "not entered: " + describe(outcome)).isTrue();
    scheduler.time.advance(Duration.ofMillis(1999));
    assertThat(outcome).isNotDone();
    scheduler.time.advance(Duration.ofMillis(1));

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(TransientException.class)
        .hasMessageContaining("SlowDao.findSlowly timed out after 2000 ms");
    assertThat(release.getCount()).as("the DAO is still hanging").isEqualTo(1);
  }

  @Test
  void failsAFutureThatNeverCompletesOnceTheAttemptTimeoutPasses() throws Exception {
    CompletableFuture<String> never = new CompletableFuture<>();
    LaterDao target = () -> {
      entered.countDown();
      return never;
    };
    LaterDao dao = Resilient.wrap(LaterDao.class, target, Guard.builder("slow-db").scheduler(scheduler).build());

    CompletableFuture<String> found = dao.findLater();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(found).isNotDone();
    scheduler.time.advance(Duration.ofSeconds(1));

    assertThat(found).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(TransientException.class);
  }

  private static String describe(Future<Throwable> outcome) {
    try {
      Throwable t = outcome.isDone() ? outcome.get() : null;
      if (t == null) {
        return "still waiting";
      }
      java.io.StringWriter w = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(w));
      return w.toString();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
