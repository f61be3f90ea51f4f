package dev.holdfast;

import static dev.holdfast.internal.GuardErrors.human;

import dev.failsafe.Execution;
import dev.holdfast.internal.BulkheadGate;
import dev.holdfast.internal.CircuitBreakerGate;
import dev.holdfast.internal.EventDispatcher;
import dev.holdfast.internal.GuardErrors;
import dev.holdfast.internal.Retries;
import dev.holdfast.internal.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One call through a {@link Guard}: its attempts, its deadline, and what follows each attempt. It only decides;
 * {@link Guard#call} and {@link AsyncCall} do the waiting. Failsafe's standalone {@link Execution} decides whether a
 * failure is retried and after what delay; this class adds the guard-wide gates (deadline, circuit breaker, retry
 * budget, bulkhead), turns the end of the call into the exception the caller sees, and tells the listeners each
 * step (only when someone listens: then it makes the call's {@link GuardedCall}, else no event at all).
 * Package-private because it records attempts on exceptions ({@link HoldfastException#recordAttempts}). Not
 * thread-safe: a call's steps run one after another ({@link AsyncCall} serialises them).
 */
final class CallRun {
  private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);

  private final Guard guard;
  private final Call call;
  private final Retries retries;
  private final ResiliencePolicy policy;
  private final long startedAt;
  private final long deadlineAt;
  /** The call as listeners see it; null when nobody listens, and then no event is made. */
  private final GuardedCall observed;
  private int attempts;
  private long attemptStartedAt;
  private GuardEvent.AttemptStarted started;
  /** Whether any attempt so far may have reached the server. */
  private boolean anySent;
  /** The tokens the budget took for the latest retry: a success gives them back. */
  private int lastRetryCost;
  /** Whether the call's end was reported (CallSucceeded or CallFailed). */
  private boolean ended;
  /** Failsafe's record of this call's failures; made at the first failure, so a success costs nothing. */
  private Execution<Object> execution;
  /** Every classified failure so far, oldest first: the earlier ones become suppressed exceptions. */
  private List<HoldfastException> failures;
  private HoldfastException lastFailure;
  private Throwable outcome;

  CallRun(Guard guard, Call call, Retries retries, long now) {
    this.guard = guard;
    this.call = call;
    this.retries = retries;
    this.policy = retries.policy();
    this.startedAt = now;
    this.deadlineAt = now + policy.deadline().toNanos();
    EventDispatcher events = guard.events();
    this.observed = events.active() ? new GuardedCall(guard.backend(), call) : null;
    if (observed != null) {
      events.accept(new GuardEvent.CallStarted(observed));
    }
  }

  ResiliencePolicy policy() {
    return policy;
  }

  /**
   * Lets the next attempt through the circuit breaker and the bulkhead (in that order, as they nest), or returns
   * the exception that ends the call; nothing was sent then. When a bulkhead is configured and this returns null,
   * the attempt holds a permit, which {@link Guard#releaseBulkhead()} returns.
   *
   * @param mayWait whether the bulkhead may block this thread for a place (blocking calls only)
   */
  HoldfastException admit(boolean mayWait) {
    CircuitBreakerGate breaker = guard.breaker();
    // An open breaker rejects before the bulkhead is asked, so a rejected call never waits for a place.
    if (breaker != null && breaker.rejectsAfter(Duration.ZERO)) {
      return end(circuitOpen(breaker, now()), CallOutcome.CIRCUIT_OPEN);
    }
    BulkheadGate bulkhead = guard.bulkhead();
    if (bulkhead != null) {
      boolean admitted;
      try {
        admitted = mayWait ? bulkhead.acquire() : bulkhead.tryAcquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return end(GuardErrors.bulkheadFull(guard.backend(), tried(now()), "interrupted while waiting for a place",
            bulkhead.maxConcurrentCalls(), e, anySent), CallOutcome.INTERRUPTED);
      }
      if (!admitted) {
        return end(GuardErrors.bulkheadFull(guard.backend(), tried(now()), "too many calls in flight",
            bulkhead.maxConcurrentCalls(), lastFailure, anySent), CallOutcome.BULKHEAD_FULL);
      }
    }
    // Taken after the bulkhead's permit, so that a half-open trial permit is never taken by a call that then
    // cannot run: Failsafe has no way to hand back a trial permit unused.
    if (breaker != null && !breaker.tryAcquirePermit()) {
      if (bulkhead != null) {
        bulkhead.release();
      }
      return end(circuitOpen(breaker, now()), CallOutcome.CIRCUIT_OPEN);
    }
    return null;
  }

  /** Starts the next attempt at {@code now}: its number and its timeout. */
  CallContext nextAttempt(long now) {
    attempts++;
    attemptStartedAt = now;
    Duration timeout = policy.attemptTimeout();
    long left = deadlineAt - now;
    if (left < timeout.toNanos()) {
      // Never zero: backends read a zero timeout as "no timeout".
      timeout = left > SHORTEST_TIMEOUT.toNanos() ? Duration.ofNanos(left) : SHORTEST_TIMEOUT;
    }
    if (observed != null) {
      started = new GuardEvent.AttemptStarted(observed, attempts, timeout);
      guard.events().accept(started);
    }
    return new CallContext(call.operation(), attempts, timeout);
  }

  /** The AttemptStarted event of the attempt just started; null when nobody listens. */
  GuardEvent.AttemptStarted startedEvent() {
    return started;
  }

  /**
   * The listeners' scope for the attempt just started, to open on the thread that runs it; {@link
   * GuardListener.Scope#NONE} when nobody listens.
   */
  GuardListener.Scope attemptScope() {
    return observed == null ? GuardListener.Scope.NONE : guard.events().attemptScope(started);
  }

  /** Records a successful attempt; the call succeeded unless it had already ended. */
  void succeeded() {
    CircuitBreakerGate breaker = guard.breaker();
    if (breaker != null) {
      breaker.recordSuccess();
    }
    RetryBudget budget = guard.budget();
    if (budget != null) {
      budget.onSuccess(lastRetryCost);
    }
    boolean first = !ended;
    ended = true;
    if (observed != null) {
      long now = now();
      guard.events().accept(new GuardEvent.AttemptSucceeded(observed, attempts, since(attemptStartedAt, now)));
      if (first) {
        guard.events().accept(new GuardEvent.CallSucceeded(observed, attempts, since(startedAt, now)));
      }
    }
  }

  /**
   * Records a failed attempt and decides what follows: the delay before the next attempt, or null when the call is
   * over and {@link #outcome()} is what the caller gets.
   */
  Duration failed(Throwable failure, long now) {
    HoldfastException classified = note(failure, now);
    Throwable recorded = classified != null ? classified : failure;
    if (execution == null) {
      execution = Execution.of(retries.forEffect(call.effect()));
    }
    execution.recordException(recorded);
    if (execution.isComplete()) {
      return finish(recorded);
    }
    // Failsafe retries only transient failures, so the failure here is one.
    Duration delay = execution.getDelay();
    HoldfastException stop = beforeRetry((TransientException) classified, delay, now);
    if (stop != null) {
      end(stop, outcomeOf(stop));
      return null;
    }
    if (observed != null) {
      guard.events().accept(new GuardEvent.RetryScheduled(observed, attempts + 1, delay, classified));
    }
    return delay;
  }

  /**
   * Records a failed attempt without deciding anything: classifies it, tells the listeners and the breaker.
   * Returns the classified failure, or null when nobody recognises it.
   */
  HoldfastException note(Throwable failure, long now) {
    HoldfastException classified = guard.classifier().classify(failure);
    boolean isTransient = classified instanceof TransientException;
    if (classified != null) {
      if (failures == null) {
        failures = new ArrayList<>(4);
      }
      failures.add(classified);
      lastFailure = classified;
      anySent |= isTransient && ((TransientException) classified).requestSent();
    }
    if (observed != null) {
      guard.events().accept(new GuardEvent.AttemptFailed(observed, attempts, since(attemptStartedAt, now),
          classified != null ? classified : failure));
    }
    CircuitBreakerGate breaker = guard.breaker();
    if (breaker != null) {
      // Anything but a transient failure means the backend answered: a success as far as its health goes.
      if (isTransient) {
        breaker.recordFailure();
      } else {
        breaker.recordSuccess();
      }
    }
    return classified;
  }

  /** Ends a blocking call whose wait before a retry was interrupted: the last failure, with the interruption. */
  HoldfastException interrupted(InterruptedException e) {
    lastFailure.addSuppressed(e);
    return end(lastFailure, CallOutcome.INTERRUPTED);
  }

  /**
   * Ends an async call whose deadline timer fired; {@code inFlight} is the timeout of the attempt still running
   * then, or null when the call was between attempts.
   */
  HoldfastException deadlinePassed(Throwable inFlight) {
    long now = now();
    if (inFlight != null) {
      note(inFlight, now);
    }
    HoldfastException e = deadlineExceeded(now, "",
        "The backend did not answer in time; check its health, or raise the deadline.");
    return end(e, outcomeOf(e));
  }

  /** The caller cancelled an async call: reports its end, unless it had already ended. */
  void cancelled() {
    if (!ended) {
      ended = true;
      if (observed != null) {
        guard.events().accept(new GuardEvent.CallFailed(observed, attempts, since(startedAt, now()),
            CallOutcome.CANCELLED, new CancellationException("cancelled by the caller")));
      }
    }
  }

  /** The call could not go on because its guard's scheduler refused a task (the guard was closed). */
  void abandoned(Throwable why) {
    if (!ended) {
      ended = true;
      reportFailure(CallOutcome.UNRECOGNISED, why);
    }
  }

  /** The failure of an attempt that ran out of time. */
  TransientException attemptTimedOut(CallContext context) {
    return GuardErrors.attemptTimedOut(guard.backend(), context);
  }

  /** What the caller gets once {@link #failed} returned null: a {@link HoldfastException} or the raw failure. */
  Throwable outcome() {
    return outcome;
  }

  /** Failsafe says the call is over: say how, in the caller's terms. */
  private Duration finish(Throwable recorded) {
    switch (Retries.verdict(call.effect(), recorded)) {
      case UNRECOGNISED -> {
        outcome = recorded;
        ended = true;
        reportFailure(CallOutcome.UNRECOGNISED, recorded);
      }
      case AMBIGUOUS_WRITE -> end(GuardErrors.unknownOutcome((TransientException) recorded),
          CallOutcome.UNKNOWN_OUTCOME);
      case RETRYABLE -> end((HoldfastException) recorded, CallOutcome.ATTEMPTS_EXHAUSTED);
      default -> end((HoldfastException) recorded, outcomeOf((HoldfastException) recorded));
    }
    return null;
  }

  /** Why the retry Failsafe allows must not happen, or null when it may. */
  private HoldfastException beforeRetry(TransientException last, Duration delay, long now) {
    // Waiting would outlast the deadline: say so now rather than sleep and fail later.
    if (now + delay.toNanos() >= deadlineAt) {
      Duration asked = retries.retryAfterOver(last, Duration.ZERO);
      if (asked != null && asked.equals(delay)) {
        return deadlineExceeded(now, "the server asked to wait " + human(asked) + " before a retry",
            "The server asked to wait " + human(asked) + " before a retry; try again later, or raise the deadline.");
      }
      return deadlineExceeded(now, "the next retry, due in " + human(delay) + ", would have started after it",
          "The backend kept failing; check its health, or raise the deadline.");
    }
    CircuitBreakerGate breaker = guard.breaker();
    // The breaker opened (perhaps on this very failure) and will still be open when the retry is due.
    if (breaker != null && breaker.rejectsAfter(delay)) {
      return circuitOpen(breaker, now);
    }
    RetryBudget budget = guard.budget();
    // Too many calls to this backend are failing: a retry would only add load to a struggling database. Asked
    // last, so that tokens are spent only on a retry that will happen.
    if (budget != null) {
      int cost = budget.tryAcquire(last);
      if (cost == 0) {
        return GuardErrors.budgetExhausted(guard.backend(), tried(now), budget, last, anySent);
      }
      lastRetryCost = cost;
    }
    return null;
  }

  /** What the attempts so far amounted to, for a message; null before any attempt. */
  private String tried(long now) {
    return attempts == 0 ? null : GuardErrors.tried(lastFailure, attempts, since(startedAt, now));
  }

  private HoldfastException deadlineExceeded(long now, String why, String hint) {
    // A non-idempotent write whose last attempt may have reached the server: the deadline does not settle it.
    if (lastFailure instanceof TransientException t
        && Retries.verdict(call.effect(), t) == Retries.Verdict.AMBIGUOUS_WRITE) {
      return GuardErrors.unknownOutcome(t);
    }
    return GuardErrors.deadlineExceeded(guard.backend(), GuardErrors.tried(lastFailure, attempts,
        since(startedAt, now)), policy.deadline(), why, hint, lastFailure, anySent);
  }

  private CircuitOpenException circuitOpen(CircuitBreakerGate breaker, long now) {
    return GuardErrors.circuitOpen(guard.backend(), tried(now), breaker.remainingOpen(), breaker.probed(),
        lastFailure, anySent);
  }

  /** The outcome a guard-made or classified exception stands for. */
  private static CallOutcome outcomeOf(HoldfastException e) {
    if (e instanceof DeadlineExceededException) {
      return CallOutcome.DEADLINE_EXCEEDED;
    } else if (e instanceof CircuitOpenException) {
      return CallOutcome.CIRCUIT_OPEN;
    } else if (e instanceof RetryBudgetExhaustedException) {
      return CallOutcome.RETRY_BUDGET_EXHAUSTED;
    } else if (e instanceof BulkheadFullException) {
      return CallOutcome.BULKHEAD_FULL;
    } else if (e instanceof UnknownOutcomeException) {
      return CallOutcome.UNKNOWN_OUTCOME;
    }
    return e instanceof TransientException ? CallOutcome.ATTEMPTS_EXHAUSTED : CallOutcome.FAILED;
  }

  /** Gives up with {@code e}: attempts, earlier failures as suppressed, and a CallFailed event. */
  private HoldfastException end(HoldfastException e, CallOutcome why) {
    if (failures != null) {
      for (HoldfastException f : failures) {
        if (f != e && f != e.getCause()) {
          e.addSuppressed(f);
        }
      }
    }
    if (e.attempts() != attempts) {
      e.recordAttempts(attempts);
    }
    outcome = e;
    if (!ended) {
      ended = true;
      reportFailure(why, e);
    }
    return e;
  }

  private void reportFailure(CallOutcome why, Throwable error) {
    if (observed != null) {
      guard.events().accept(new GuardEvent.CallFailed(observed, attempts, since(startedAt, now()), why, error));
    }
  }

  private long now() {
    return guard.scheduler().nanoTime();
  }

  private static Duration since(long from, long now) {
    return Duration.ofNanos(Math.max(0, now - from));
  }
}
