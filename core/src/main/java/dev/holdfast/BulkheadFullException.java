package dev.holdfast;

/**
 * Too many calls to this backend are already in flight; this one was rejected without being sent, so that a slow database is not buried by its own clients.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class BulkheadFullException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public BulkheadFullException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
