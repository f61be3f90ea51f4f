package dev.holdfast;

/**
 * The backend's circuit breaker is open after a run of transient failures, so the call was not sent. It will be let through again after the breaker's delay.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class CircuitOpenException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public CircuitOpenException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
