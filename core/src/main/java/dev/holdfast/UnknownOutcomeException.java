package dev.holdfast;

/**
 * A write may or may not have taken effect: the request reached the backend and the answer was lost (a connection dropped while COMMIT was in flight, a timeout after the request was sent). holdfast never re-runs such a write on its own; read back to find out, or make the write idempotent (an upsert) so that repeating it is safe.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class UnknownOutcomeException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public UnknownOutcomeException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
