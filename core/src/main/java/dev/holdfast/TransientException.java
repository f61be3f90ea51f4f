package dev.holdfast;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that a later attempt may not meet: a dropped connection, a server starting up or shutting down, too
 * many connections, a serialization failure or deadlock, a 503 from PostgREST. holdfast retries these within
 * the policy; when this reaches the caller, the policy's attempts ran out.
 *
 * <p>{@link #requestSent()} says whether the request may have reached the server. Only when it certainly did not
 * (connection refused, no pooled connection, PostgREST could not reach the database) may a non-idempotent write be
 * retried; otherwise holdfast ends such a write in {@link UnknownOutcomeException}.
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

  /** The server's hint for when to try again, such as HTTP {@code Retry-After}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
