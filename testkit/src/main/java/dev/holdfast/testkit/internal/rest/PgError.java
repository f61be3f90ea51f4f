package dev.holdfast.testkit.internal.rest;

/**
 * An error as PostgreSQL reports it, with the SQLSTATE, message, detail and hint PostgREST forwards in its body.
 * The in-memory engine throws it (alone, or as the cause of the holdfast exception an {@code InMemoryBackend}
 * user sees), so MockPostgrest can answer byte for byte what PostgREST would. Immutable.
 */
public final class PgError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;
  private final String detail;
  private final String hint;

  public PgError(String sqlState, String message, String detail, String hint) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  public String sqlState() {
    return sqlState;
  }

  /** PostgreSQL's DETAIL, or null. */
  public String detail() {
    return detail;
  }

  /** PostgreSQL's HINT, or null. */
  public String hint() {
    return hint;
  }

  /** {@code 22P02 invalid input syntax for type <type>: "<text>"}. */
  public static PgError invalidInput(String type, String text) {
    return new PgError("22P02", "invalid input syntax for type " + type + ": \"" + text + "\"", null, null);
  }

  /** The first {@code PgError} in {@code t}'s cause chain, or null. */
  public static PgError in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgError e) {
        return e;
      }
    }
    return null;
  }
}
