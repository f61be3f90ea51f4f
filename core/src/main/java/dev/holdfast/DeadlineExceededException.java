package dev.holdfast;

/**
 * The call's overall deadline ran out before an attempt succeeded. Earlier attempts are attached as suppressed exceptions. When the deadline ran out during an attempt of a non-idempotent write, holdfast throws {@link UnknownOutcomeException} instead.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class DeadlineExceededException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public DeadlineExceededException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
