package dev.holdfast.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watcher's decisions on an injected clock: {@code scan(now)} is driven by the test, no thread runs. */
class StatementWatchTest {
  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final StatementWatch watch = new StatementWatch(clock::get, Duration.ofSeconds(1));
  private final List<String> done = Collections.synchronizedList(new ArrayList<>());

  private StatementWatch.Target target(String name) {
    return new StatementWatch.Target() {
      @Override
      public void cancel() {
        done.add("cancel " + name);
      }

      @Override
      public void abort() {
        done.add("abort " + name);
      }
    };
  }

  @Test
  void aLeaseThatEndsBeforeItsDeadlineIsNeverTouched() {
    StatementWatch.Ticket t = watch.watch(target("a"), clock.get() + 500 * MS);
    assertThat(watch.scan(clock.get())).isEqualTo(clock.get() + 500 * MS);

    assertThat(t.done()).isFalse();
    clock.addAndGet(10_000 * MS);
    assertThat(watch.scan(clock.get())).isEqualTo(Long.MAX_VALUE);
    assertThat(done).isEmpty();
    assertThat(watch.watching()).isZero();
  }

  @Test
  void pastItsDeadlineTheStatementIsCancelledOnceAndAfterTheGraceTheConnectionIsAborted() {
    long deadline = clock.get() + 500 * MS;
    StatementWatch.Ticket t = watch.watch(target("a"), deadline);

    clock.set(deadline - 1);
    assertThat(watch.scan(clock.get())).isEqualTo(deadline);
    assertThat(done).isEmpty();

    clock.set(deadline);
    assertThat(watch.scan(clock.get())).as("next: the abort").isEqualTo(deadline + 1_000 * MS);
    assertThat(watch.scan(clock.get() + 999 * MS)).isEqualTo(deadline + 1_000 * MS);
    assertThat(done).containsExactly("cancel a");

    assertThat(watch.scan(deadline + 1_000 * MS)).isEqualTo(Long.MAX_VALUE);
    assertThat(done).containsExactly("cancel a", "abort a");
    assertThat(t.done()).as("aborted: the lease must evict the connection").isTrue();
  }

  @Test
  void aCancelledLeaseThatEndsInTheGraceIsNotAbortedAndStaysUsable() {
    long deadline = clock.get() + 100 * MS;
    StatementWatch.Ticket t = watch.watch(target("a"), deadline);
    watch.scan(deadline);

    assertThat(t.done()).isFalse();
    assertThat(watch.scan(deadline + 5_000 * MS)).isEqualTo(Long.MAX_VALUE);
    assertThat(done).containsExactly("cancel a");
  }

  @Test
  void theNextWakeIsTheEarliestDeadlineOfTheLeasesStillWatched() {
    long now = clock.get();
    StatementWatch.Ticket early = watch.watch(target("early"), now + 100 * MS);
    watch.watch(target("late"), now + 900 * MS);
    assertThat(watch.scan(now)).isEqualTo(now + 100 * MS);

    early.done();
    assertThat(watch.scan(now + 100 * MS)).isEqualTo(now + 900 * MS);
    assertThat(done).isEmpty();
  }

  @Test
  void endingALeaseWaitsForACancelInFlightSoThatItCannotReachTheNextUser() throws Exception {
    CountDownLatch cancelling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StatementWatch.Ticket t = watch.watch(new StatementWatch.Target() {
      @Override
      public void cancel() throws InterruptedException {
        cancelling.countDown();
        release.await();
        done.add("cancel returned");
      }

      @Override
      public void abort() {
        done.add("abort");
      }
    }, clock.get());
    // No thread was started, so the scan runs the cancel itself: run it on another thread.
    CompletableFuture<Long> scan = CompletableFuture.supplyAsync(() -> watch.scan(clock.get()));
    assertThat(cancelling.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(t::done);
    Thread.sleep(100);
    assertThat(ended).as("done() waits while the cancel is in flight").isNotDone();
    release.countDown();

    assertThat(ended.get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(done).containsExactly("cancel returned");
    scan.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aDeadlineTooFarToAddTheGraceToNeverAborts() {
    watch.watch(target("forever"), Long.MAX_VALUE - 10);
    assertThat(watch.scan(clock.get())).isEqualTo(Long.MAX_VALUE - 10);
    assertThat(done).isEmpty();
  }

  @Test
  void aRealWatcherCancelsAtTheDeadlineAndStopsOnClose() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    StatementWatch real = new StatementWatch(Duration.ofSeconds(30));
    try (real) {
      real.watch(new StatementWatch.Target() {
        @Override
        public void cancel() {
          cancelled.countDown();
        }

        @Override
        public void abort() {}
      }, System.nanoTime() + 50 * MS);
      assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(real.watcherAlive()).isFalse();
  }
}
