package dev.holdfast.postgrest;

import java.util.Locale;

/**
 * Options of {@link PostgrestRequest#explain(Explain.Format, Explain.Option...)}: PostgreSQL's {@code EXPLAIN}
 * plan of the request instead of its rows ({@code Accept: application/vnd.pgrst.plan}). PostgREST answers only
 * when its {@code db-plan-enabled} setting is on. Immutable.
 */
public final class Explain {
  private Explain() {}

  /** How the plan is written. */
  public enum Format {
    /** PostgreSQL's text plan; read it with {@link PostgrestResponse#text()}. */
    TEXT,
    /** The plan as JSON; read it with {@link PostgrestResponse#body()}. */
    JSON;

    String mediaType() {
      return "application/vnd.pgrst.plan+" + name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code EXPLAIN} options; {@link #ANALYZE} runs the statement (inside a rolled-back transaction). */
  public enum Option {
    ANALYZE, VERBOSE, SETTINGS, BUFFERS, WAL;

    String token() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
