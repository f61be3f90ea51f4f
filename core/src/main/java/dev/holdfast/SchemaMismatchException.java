package dev.holdfast;

/**
 * The backend does not know a table, column or function that the request names: a migration has not run, a name is misspelt, or PostgREST's schema cache is stale (reload it with {@code NOTIFY pgrst, 'reload schema'}).
 *
 * <p>Safe to publish across threads once thrown.
 */
public class SchemaMismatchException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public SchemaMismatchException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
