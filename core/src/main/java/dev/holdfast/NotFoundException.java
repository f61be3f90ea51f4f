package dev.holdfast;

/**
 * The row that had to exist does not (for example a single-object read that matched no row).
 *
 * <p>Safe to publish across threads once thrown.
 */
public class NotFoundException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public NotFoundException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
