package dev.holdfast.postgrest;

/** What a write answers with ({@code Prefer: return=...}). */
public enum Returning {
  /** No body: the cheapest answer (201 or 204). */
  MINIMAL,
  /** The written rows, as stored (with defaults and generated columns); narrowed by {@code select}. */
  REPRESENTATION;

  String preference() {
    return "return=" + name().toLowerCase(java.util.Locale.ROOT);
  }
}
