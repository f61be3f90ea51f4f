package dev.holdfast.postgrest;

/**
 * How PostgREST counts the rows a request matches ({@code Prefer: count=...}); the count comes back in
 * {@code Content-Range} and is read into {@link PostgrestResponse#count()}.
 */
public enum CountMode {
  /** {@code count(*)}: exact, and slow on large tables. */
  EXACT,
  /** PostgreSQL's planner estimate: fast, approximate. */
  PLANNED,
  /** Exact up to PostgREST's {@code db-max-rows}, the planner's estimate beyond it. */
  ESTIMATED;

  String preference() {
    return "count=" + name().toLowerCase(java.util.Locale.ROOT);
  }
}
