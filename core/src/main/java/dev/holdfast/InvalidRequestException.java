package dev.holdfast;

/**
 * The request itself is wrong: an invalid identifier, a value of the wrong type, a malformed filter or connection string. Retrying does not help.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class InvalidRequestException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public InvalidRequestException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
