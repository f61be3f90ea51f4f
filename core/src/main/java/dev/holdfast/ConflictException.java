package dev.holdfast;

import java.util.Optional;

/**
 * The write conflicts with a constraint: most often a duplicate key (SQLSTATE {@code 23505}, HTTP 409). Retrying
 * the same write does not help; use an upsert or change the key.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class ConflictException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  private final String constraint;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param constraint the violated constraint's name, or null when the backend did not say
   * @param cause the underlying exception, or null
   */
  public ConflictException(String message, ErrorDetails details, String constraint, Throwable cause) {
    super(message, details, cause);
    this.constraint = constraint;
  }

  /** The name of the violated constraint, such as {@code tasks_pkey}, when the backend reported it. */
  public Optional<String> constraint() {
    return Optional.ofNullable(constraint);
  }
}
