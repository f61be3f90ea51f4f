package dev.holdfast;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that a later attempt may not meet: "try again later". holdfast retries the ones a backend reports (a
 * dropped connection, a server starting up or shutting down, too many connections, a serialization failure or
 * deadlock, a 503 from PostgREST) within the policy; when one reaches the caller, the policy's attempts ran out.
 *
 * <p>Every other "try again later" outcome is a subtype, so that {@code catch (TransientException e)} catches
 * them all: {@link DeadlineExceededException} (the deadline ran out while retrying transient failures), {@link
 * CircuitOpenException} (the breaker rejected the call), {@link RetryBudgetExhaustedException} (retries are
 * rationed during an outage) and {@link BulkheadFullException} (too many calls in flight). Outcomes that a retry
 * cannot change ({@link ConflictException}, {@link UnknownOutcomeException}, ...) are not transient.
 *
 * <p>{@link #requestSent()} says whether the request may have reached the server. Only when it certainly did not
 * (connection refused, no pooled connection, PostgREST could not reach the database, a rejection by the guard
 * before any attempt) may a non-idempotent write be sent again; otherwise holdfast ends such a write in {@link
 * UnknownOutcomeException}.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class TransientException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  private final boolean requestSent;
  private final Duration retryAfter;

  /**
   * A transient failure after which the request may have reached the server, with no retry hint.
   *
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public TransientException(String message, ErrorDetails details, Throwable cause) {
    this(message, details, cause, true, null);
  }

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   * @param requestSent false only when the failure proves the request never reached the server
   * @param retryAfter the server's hint for when to try again (HTTP Retry-After), or null
   */
  public TransientException(
      String message, ErrorDetails details, Throwable cause, boolean requestSent, Duration retryAfter) {
    super(message, details, cause);
    this.requestSent = requestSent;
    this.retryAfter = retryAfter;
  }

  /**
   * False only when the failure proves the request never reached the server, so even a non-idempotent write
   * can be sent again safely.
   */
  public boolean requestSent() {
    return requestSent;
  }

  /**
   * When to try again: the server's hint (HTTP {@code Retry-After}), or for an open circuit breaker the time until
   * its next trial call.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether {@code cause} says a request may have been sent: a transient cause tells; otherwise {@code other}. */
  static boolean sentPerCause(Throwable cause, boolean other) {
    return cause instanceof TransientException t ? t.requestSent() : other;
  }
}
