package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.holdfast.internal.EventDispatcher;
import dev.holdfast.internal.LoggingListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events a meter or a span is built from, their order, latencies and per-call state. */
class GuardListenerTest {
  private final ManualScheduler time = new ManualScheduler();
  private final RecordingListener events = new RecordingListener();
  private final ExecutorService workers = Executors.newCachedThreadPool();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  private Guard guard(ResiliencePolicy.Builder policy, GuardListener... more) {
    Guard.Builder b = Guard.builder("db").scheduler(time).random(() -> 0.5).listener(events);
    for (GuardListener l : more) {
      b.listener(l);
    }
    return b.policy(policy.build()).build();
  }

  @Test
  void aCallThatSucceedsAfterARetryReportsEveryAttemptWithItsLatency() {
    Guard guard = guard(ResiliencePolicy.builder().withoutCircuitBreaker());
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(Failures.sent("reset"))
        .during(() -> time.advance(Duration.ofMillis(30)));

    guard.call(Call.read("tasks.findById"), attempt);

    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "RetryScheduled",
        "AttemptStarted", "AttemptSucceeded", "CallSucceeded");
    GuardedCall call = events.of(GuardEvent.CallStarted.class).get(0).call();
    assertThat(call.operation()).isEqualTo("tasks.findById");
    assertThat(call.effect()).isEqualTo(Effect.READ);
    assertThat(events.events()).allSatisfy(e -> assertThat(((GuardEvent.OfCall) e).call()).isSameAs(call));
    assertThat(events.of(GuardEvent.AttemptStarted.class)).extracting(GuardEvent.AttemptStarted::attempt,
        GuardEvent.AttemptStarted::timeout).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, Duration.ofSeconds(5)),
            org.assertj.core.groups.Tuple.tuple(2, Duration.ofSeconds(5)));
    GuardEvent.AttemptFailed failed = events.of(GuardEvent.AttemptFailed.class).get(0);
    assertThat(failed.latency()).isEqualTo(Duration.ofMillis(30));
    assertThat(failed.errorType()).isEqualTo("TransientException");
    assertThat(failed.code()).contains("08006");
    assertThat(failed.isTransient()).isTrue();
    assertThat(events.of(GuardEvent.AttemptSucceeded.class).get(0))
        .isEqualTo(new GuardEvent.AttemptSucceeded(call, 2, Duration.ofMillis(30)));
    GuardEvent.CallSucceeded done = events.of(GuardEvent.CallSucceeded.class).get(0);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.latency()).as("both attempts and the 50 ms wait").isEqualTo(Duration.ofMillis(110));
    assertThat(done.outcome()).isEqualTo(CallOutcome.SUCCEEDED);
  }

  @Test
  void aCallRejectedByTheBreakerHasNoAttemptEvents() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(1)
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofSeconds(1), 1)));
    catchThrowable(() -> guard.call(Call.read("find"), ctx -> {
      throw Failures.sent("down");
    }));
    int before = events.events().size();

    catchThrowable(() -> guard.call(Call.write("OrderDao.insert"), ctx -> "never"));

    List<GuardEvent> rejected = events.events().subList(before, events.events().size());
    assertThat(rejected).extracting(e -> e.getClass().getSimpleName()).containsExactly("CallStarted", "CallFailed");
    GuardEvent.CallFailed failed = (GuardEvent.CallFailed) rejected.get(1);
    assertThat(failed.attempts()).isZero();
    assertThat(failed.outcome()).isEqualTo(CallOutcome.CIRCUIT_OPEN);
    assertThat(failed.errorType()).isEqualTo("CircuitOpenException");
    assertThat(failed.operation()).isEqualTo("OrderDao.insert");
  }

  @Test
  void eachWayOfGivingUpHasItsOutcome() {
    Guard exhausted = guard(ResiliencePolicy.builder().maxAttempts(2).withoutCircuitBreaker());
    catchThrowable(() -> exhausted.call(Call.read("a"), ScriptedAttempt.alwaysFailing(() -> Failures.sent("x"))));
    Guard deadline = guard(ResiliencePolicy.builder().maxAttempts(9).withoutCircuitBreaker()
        .deadline(Duration.ofMillis(120)).backoff(Backoff.fixed(Duration.ofMillis(100))));
    catchThrowable(() -> deadline.call(Call.read("b"), ScriptedAttempt.alwaysFailing(() -> Failures.sent("x"))));
    Guard writes = guard(ResiliencePolicy.builder().withoutCircuitBreaker());
    catchThrowable(() -> writes.call(Call.write("c"), ScriptedAttempt.alwaysFailing(() -> Failures.sent("x"))));
    catchThrowable(() -> writes.call(Call.write("d"), ctx -> {
      throw Failures.conflict();
    }));

    assertThat(events.of(GuardEvent.CallFailed.class)).extracting(GuardEvent.CallFailed::outcome).containsExactly(
        CallOutcome.ATTEMPTS_EXHAUSTED, CallOutcome.DEADLINE_EXCEEDED, CallOutcome.UNKNOWN_OUTCOME,
        CallOutcome.FAILED);
  }

  @Test
  void aListenerKeepsItsStateOnTheCallFromStartToEnd() {
    List<Object> seen = new CopyOnWriteArrayList<>();
    GuardListener timer = event -> {
      if (event instanceof GuardEvent.CallStarted e) {
        e.call().put("sample", time.nanoTime());
      } else if (event instanceof GuardEvent.CallSucceeded e) {
        seen.add(time.nanoTime() - e.call().get("sample", Long.class));
        seen.add(e.call().remove("sample"));
        seen.add(e.call().get("sample", Long.class) == null);
      }
    };
    Guard guard = guard(ResiliencePolicy.builder(), timer);

    guard.call(Call.read("find"), ctx -> {
      time.advance(Duration.ofMillis(7));
      return "ok";
    });

    assertThat(seen).containsExactly(Duration.ofMillis(7).toNanos(), 0L, true);
  }

  @Test
  void anAttemptScopeIsOpenedAndClosedOnTheThreadThatRunsTheAttemptEvenAfterItTimedOut() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch scopeClosed = new CountDownLatch(2);
    GuardListener scoped = new GuardListener() {
      @Override
      public void on(GuardEvent event) {}

      @Override
      public Scope attemptScope(GuardEvent.AttemptStarted attempt) {
        Thread opener = Thread.currentThread();
        log.add("open " + attempt.attempt());
        return () -> {
          log.add("close " + attempt.attempt() + (Thread.currentThread() == opener ? " same thread" : " OTHER"));
          scopeClosed.countDown();
        };
      }
    };
    Scheduler threaded = new ForwardingScheduler(time) {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        if (delay.isZero()) {
          var f = workers.submit(task);
          return () -> f.cancel(false);
        }
        return super.schedule(delay, task);
      }
    };
    Guard guard = Guard.builder("db").scheduler(threaded).random(() -> 0.5).listener(events).listener(scoped)
        .policy(ResiliencePolicy.builder().attemptTimeout(Duration.ofSeconds(1)).build()).build();
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), ctx -> {
      if (ctx.attempt() == 1) {
        firstRunning.countDown();
        // Ignores the interrupt, as a stuck driver would: comes back only when released.
        while (!releaseFirst.await(10, TimeUnit.MILLISECONDS)) {
          Thread.interrupted();
        }
        return "late";
      }
      return "second";
    });
    firstRunning.await();
    time.advance(Duration.ofSeconds(1));
    time.advance(Duration.ofMillis(50));
    assertThat(future.get(1, TimeUnit.MINUTES)).isEqualTo("second");
    releaseFirst.countDown();

    assertThat(scopeClosed.await(1, TimeUnit.MINUTES)).isTrue();
    assertThat(log).contains("open 1", "open 2", "close 1 same thread", "close 2 same thread");
    assertThat(events.of(GuardEvent.AttemptFailed.class)).singleElement()
        .satisfies(e -> assertThat(e.latency()).isEqualTo(Duration.ofSeconds(1)));
    assertThat(events.of(GuardEvent.CallSucceeded.class)).hasSize(1);
  }

  @Test
  void cancellingAnAsyncCallEndsItAsCancelled() throws Exception {
    Guard guard = guard(ResiliencePolicy.builder().withoutCircuitBreaker());
    CompletableFuture<String> future = guard.callAsync(Call.read("find"),
        ScriptedAttempt.<String>alwaysFailing(() -> Failures.sent("down")));

    future.cancel(true);

    GuardEvent.CallFailed failed = events.of(GuardEvent.CallFailed.class).get(0);
    assertThat(failed.outcome()).isEqualTo(CallOutcome.CANCELLED);
    assertThat(failed.errorType()).isEqualTo("CancellationException");
    assertThat(events.of(GuardEvent.CallFailed.class)).hasSize(1);
  }

  @Test
  void aThrowingScopeNeverChangesTheOutcome() {
    GuardListener bad = new GuardListener() {
      @Override
      public void on(GuardEvent event) {}

      @Override
      public Scope attemptScope(GuardEvent.AttemptStarted attempt) {
        return () -> {
          throw new IllegalStateException("bad scope");
        };
      }
    };
    Guard guard = guard(ResiliencePolicy.builder(), bad);

    assertThat(guard.<String>call(Call.read("find"), ctx -> "ok")).isEqualTo("ok");
  }

  @Test
  void theLoggingListenerAloneAsksForCallEventsOnlyAtDebug() {
    EventDispatcher onlyLogging = new EventDispatcher(List.of(GuardListener.logging()));
    assertThat(onlyLogging.active()).isEqualTo(new LoggingListener().wantsCallEvents())
        .isEqualTo(org.slf4j.LoggerFactory.getLogger(Guard.class).isDebugEnabled());
    assertThat(new EventDispatcher(List.of(GuardListener.logging(), e -> {})).active()).isTrue();
    assertThat(new EventDispatcher(List.of()).active()).isFalse();
  }

  @Test
  void operationsAreNamedForTheirTableDaoOrStore() {
    KvBackend backend = new KvBackend().put("k", 1);
    try (Holdfast db = Holdfast.builder(backend).scheduler(time).listener(events).build()) {
      db.keyValueStore("settings").get("k");
      db.keyValueStore("settings").set("k", 2);
      Resilient.wrap(OrderDao.class, new FakeOrderDao(), db.guard()).findById(1);
    }

    assertThat(events.of(GuardEvent.CallStarted.class)).extracting(e -> e.operation())
        .containsExactly("kv.settings.get", "kv.settings.set", "OrderDao.findById");
  }

  @Test
  void safeReadsReportWhereTheirValueCameFrom() {
    KvBackend backend = new KvBackend().put("a", 1);
    try (Holdfast db = Holdfast.builder(backend).scheduler(time).listener(events).build()) {
      SafeKeyValueStore settings = db.safeKeyValueStore("settings")
          .withLastKnownGood(LastKnownGood.of(10, Duration.ofMinutes(1)));
      settings.safeGet("a", IntNode.valueOf(0));
      backend.failNext(3, KvBackend::connectionReset);
      settings.safeGet("a", IntNode.valueOf(0));
      backend.failNext(3, KvBackend::connectionReset);
      settings.safeGetMany(List.of("a", "b"), Integer.class, -1);
      db.safe().get("offers.active", ctx -> Map.of(), Map.of());
    }

    assertThat(events.of(GuardEvent.SafeResultServed.class)).extracting(GuardEvent.SafeResultServed::operation,
        GuardEvent.SafeResultServed::source).containsExactly(
            org.assertj.core.groups.Tuple.tuple("kv.settings.get", SafeResult.Source.FRESH),
            org.assertj.core.groups.Tuple.tuple("kv.settings.get", SafeResult.Source.LAST_KNOWN_GOOD),
            org.assertj.core.groups.Tuple.tuple("kv.settings.getMany", SafeResult.Source.LAST_KNOWN_GOOD),
            org.assertj.core.groups.Tuple.tuple("kv.settings.getMany", SafeResult.Source.DEFAULT),
            org.assertj.core.groups.Tuple.tuple("offers.active", SafeResult.Source.DEFAULT));
    List<GuardEvent.SafeResultServed> served = events.of(GuardEvent.SafeResultServed.class);
    assertThat(served.get(0).error()).isNull();
    assertThat(served.get(1).error()).isInstanceOf(TransientException.class);
    assertThat(served.get(4).error()).as("six failed attempts opened the breaker")
        .isInstanceOf(CircuitOpenException.class);
  }
}
