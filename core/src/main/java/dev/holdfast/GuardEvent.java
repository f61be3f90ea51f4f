package dev.holdfast;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened while a {@link Guard} ran a call, named as a fact; delivered to {@link GuardListener}s.
 * Immutable and thread-safe.
 *
 * <p>The events of one call, in order, all carrying the same {@link GuardedCall}:
 * <pre>
 * CallStarted
 *   ( AttemptStarted  ( AttemptSucceeded | AttemptFailed [RetryScheduled] ) )*
 * CallSucceeded | CallFailed
 * </pre>
 * A call rejected before any attempt (open breaker, full bulkhead) has no attempt events. Every {@code
 * AttemptStarted} is followed by exactly one {@code AttemptSucceeded} or {@code AttemptFailed}; every {@code
 * CallStarted} by exactly one {@code CallSucceeded} or {@code CallFailed}. After an async call ended (its deadline
 * passed, or the caller cancelled it) an attempt still running reports its own end when it comes back. Latencies
 * are measured on the guard's {@link Scheduler} clock (exact under a {@link ManualScheduler}).
 *
 * <p>Breaker transitions ({@link CircuitOpened}, {@link CircuitHalfOpened}, {@link CircuitClosed}) belong to the
 * backend, not to a call. {@link SafeResultServed} tells where a safe read's value came from.
 *
 * <p>Events are made only while a listener listens (a {@link GuardListener#logging() logging} listener only when
 * its logger is at DEBUG): a guard nobody listens to allocates nothing for them.
 */
public sealed interface GuardEvent {
  /** The backend the event concerns. */
  String backend();

  /** An event of one call. */
  sealed interface OfCall extends GuardEvent {
    /** The call. */
    GuardedCall call();

    @Override
    default String backend() {
      return call().backend();
    }

    /** The call's operation name, such as {@code tasks.findById}. */
    default String operation() {
      return call().operation();
    }
  }

  /**
   * A call began, on the caller's thread (for an async call, the thread that called {@code callAsync}), before it
   * asks the breaker and bulkhead: a listener can read the caller's context (a current span) here.
   *
   * @param call the call
   */
  record CallStarted(GuardedCall call) implements OfCall {
    public CallStarted {
      Objects.requireNonNull(call, "call");
    }
  }

  /**
   * An attempt was let through and is about to run (for an async call, it was handed to a scheduler thread).
   * {@link GuardListener#attemptScope} is then called on the thread that runs it.
   *
   * @param call the call
   * @param attempt the attempt's number, 1 for the first
   * @param timeout the most time it may take
   */
  record AttemptStarted(GuardedCall call, int attempt, Duration timeout) implements OfCall {
    public AttemptStarted {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * An attempt returned a value.
   *
   * @param call the call
   * @param attempt the attempt's number, 1 for the first
   * @param latency how long it took
   */
  record AttemptSucceeded(GuardedCall call, int attempt, Duration latency) implements OfCall {
    public AttemptSucceeded {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(latency, "latency");
    }
  }

  /**
   * An attempt failed: it threw, or (async) outlived its timeout.
   *
   * @param call the call
   * @param attempt the attempt's number, 1 for the first
   * @param latency how long it took until it failed
   * @param error the failure as classified (a {@link HoldfastException}), or what the attempt threw when no
   *     classifier recognised it
   */
  record AttemptFailed(GuardedCall call, int attempt, Duration latency, Throwable error) implements OfCall {
    public AttemptFailed {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(error, "error");
    }

    /** The failure's simple class name, such as {@code TransientException}: a low-cardinality tag. */
    public String errorType() {
      return error.getClass().getSimpleName();
    }

    /** The SQLSTATE or PostgREST code of a classified failure, such as {@code 40001} or {@code PGRST205}. */
    public Optional<String> code() {
      return error instanceof HoldfastException h ? h.code() : Optional.empty();
    }

    /** Whether the failure is transient, so the call may retry it. */
    public boolean isTransient() {
      return error instanceof TransientException;
    }
  }

  /**
   * A retry will start after {@code delay}.
   *
   * @param call the call
   * @param nextAttempt the number of the attempt that will run
   * @param delay how long until it runs
   * @param error the transient failure that caused the retry
   */
  record RetryScheduled(GuardedCall call, int nextAttempt, Duration delay, HoldfastException error)
      implements OfCall {
    public RetryScheduled {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The call succeeded; delivered before the caller receives the value.
   *
   * @param call the call
   * @param attempts how many attempts were made
   * @param latency the call's total time, waits between attempts included
   */
  record CallSucceeded(GuardedCall call, int attempts, Duration latency) implements OfCall {
    public CallSucceeded {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(latency, "latency");
    }

    /** Always {@link CallOutcome#SUCCEEDED}. */
    public CallOutcome outcome() {
      return CallOutcome.SUCCEEDED;
    }
  }

  /**
   * The call failed for good; delivered before the caller receives the failure.
   *
   * @param call the call
   * @param attempts how many attempts were made (0 when it was rejected before any)
   * @param latency the call's total time
   * @param outcome why it ended
   * @param error what the caller receives (for {@link CallOutcome#CANCELLED}, a {@code CancellationException})
   */
  record CallFailed(GuardedCall call, int attempts, Duration latency, CallOutcome outcome, Throwable error)
      implements OfCall {
    public CallFailed {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(error, "error");
    }

    /** The failure's simple class name, such as {@code CircuitOpenException}: a low-cardinality tag. */
    public String errorType() {
      return error.getClass().getSimpleName();
    }
  }

  /**
   * The circuit breaker opened.
   *
   * @param backend the backend
   * @param openFor how long it stays open before trial calls (a probe that finds the backend answering closes it
   *     sooner)
   */
  record CircuitOpened(String backend, Duration openFor) implements GuardEvent {}

  /**
   * The circuit breaker is letting trial calls through.
   *
   * @param backend the backend
   */
  record CircuitHalfOpened(String backend) implements GuardEvent {}

  /**
   * The circuit breaker closed again.
   *
   * @param backend the backend
   */
  record CircuitClosed(String backend) implements GuardEvent {}

  /**
   * A safe read ({@link Safe} or a {@link SafeKeyValueStore} made by {@link Holdfast}) returned a result: where its
   * value came from. One event per result, so a read of many keys reports each key (the key itself is never in the
   * event).
   *
   * @param backend the backend
   * @param operation the read's operation name, such as {@code kv.settings.get}
   * @param source FRESH, LAST_KNOWN_GOOD or DEFAULT
   * @param age how old a LAST_KNOWN_GOOD value is; zero otherwise
   * @param error why the value is not fresh, or null; a {@link CircuitOpenException} when it was served without
   *     asking the backend because its breaker is open
   */
  record SafeResultServed(String backend, String operation, SafeResult.Source source, Duration age,
      HoldfastException error) implements GuardEvent {
    public SafeResultServed {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(age, "age");
    }
  }
}
