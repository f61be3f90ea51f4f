package dev.holdfast;

/**
 * The connection is configured wrongly: bad credentials, an unknown tenant ("Tenant or user not found"), the wrong host or port, TLS settings, or server-side prepared statements behind a transaction-mode pooler. Retrying does not help; the hint says what to change.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class ConfigurationException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public ConfigurationException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
