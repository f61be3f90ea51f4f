package dev.holdfast;

import java.time.Duration;

/**
 * Something that happened while a {@link Guard} ran a call, named as a fact. Delivered to {@link
 * GuardListener}s. Immutable and thread-safe.
 */
public sealed interface GuardEvent {
  /** The backend the event concerns. */
  String backend();

  /**
   * An attempt failed.
   *
   * @param backend the backend
   * @param operation the call's name
   * @param attempt the attempt's number, 1 for the first
   * @param error the classified failure
   */
  record AttemptFailed(String backend, String operation, int attempt, HoldfastException error)
      implements GuardEvent {}

  /**
   * A retry will start after {@code delay}.
   *
   * @param backend the backend
   * @param operation the call's name
   * @param nextAttempt the number of the attempt that will run
   * @param delay how long until it runs
   * @param error the failure that caused the retry
   */
  record RetryScheduled(String backend, String operation, int nextAttempt, Duration delay, HoldfastException error)
      implements GuardEvent {}

  /**
   * The call failed for good.
   *
   * @param backend the backend
   * @param operation the call's name
   * @param attempts how many attempts were made
   * @param error what the caller receives
   */
  record GaveUp(String backend, String operation, int attempts, HoldfastException error) implements GuardEvent {}

  /**
   * The circuit breaker opened.
   *
   * @param backend the backend
   * @param openFor how long it stays open before trial calls
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
}
