package dev.holdfast.testkit.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;

/**
 * A compiled SQL {@code LIKE} pattern: {@code %} matches any run of characters, {@code _} exactly one, and a
 * backslash makes the next character literal. Matching works on code points, so {@code _} matches one emoji.
 * Immutable and thread-safe.
 */
public final class LikePattern {
  private static final int ANY_RUN = -1;
  private static final int ANY_ONE = -2;

  private final int[] tokens;
  private final boolean caseInsensitive;

  private LikePattern(int[] tokens, boolean caseInsensitive) {
    this.tokens = tokens;
    this.caseInsensitive = caseInsensitive;
  }

  /**
   * Compiles {@code pattern}; {@code caseInsensitive} gives {@code ILIKE}.
   *
   * @throws InvalidRequestException if the pattern ends with an unescaped backslash (SQLSTATE 22025, as in
   *     PostgreSQL)
   */
  public static LikePattern compile(String pattern, boolean caseInsensitive) {
    int[] points = pattern.codePoints().toArray();
    int[] tokens = new int[points.length];
    int n = 0;
    for (int i = 0; i < points.length; i++) {
      int c = points[i];
      if (c == '\\') {
        if (i + 1 == points.length) {
          throw new InvalidRequestException("LIKE pattern must not end with escape character",
              ErrorDetails.of("memory").withCode("22025").withHint("Escape patterns with Filter.escapeLike."), null);
        }
        tokens[n++] = fold(points[++i], caseInsensitive);
      } else if (c == '%') {
        if (n == 0 || tokens[n - 1] != ANY_RUN) {
          tokens[n++] = ANY_RUN;
        }
      } else if (c == '_') {
        tokens[n++] = ANY_ONE;
      } else {
        tokens[n++] = fold(c, caseInsensitive);
      }
    }
    return new LikePattern(java.util.Arrays.copyOf(tokens, n), caseInsensitive);
  }

  /** Whether {@code text} matches the whole pattern. */
  public boolean matches(String text) {
    int[] s = text.codePoints().map(c -> fold(c, caseInsensitive)).toArray();
    // Iterative wildcard matching with backtracking to the last '%': linear in practice, no recursion.
    int si = 0;
    int ti = 0;
    int starToken = -1;
    int starText = 0;
    while (si < s.length) {
      if (ti < tokens.length && tokens[ti] != ANY_RUN && (tokens[ti] == ANY_ONE || tokens[ti] == s[si])) {
        si++;
        ti++;
      } else if (ti < tokens.length && tokens[ti] == ANY_RUN) {
        starToken = ti++;
        starText = si;
      } else if (starToken >= 0) {
        ti = starToken + 1;
        si = ++starText;
      } else {
        return false;
      }
    }
    while (ti < tokens.length && tokens[ti] == ANY_RUN) {
      ti++;
    }
    return ti == tokens.length;
  }

  private static int fold(int c, boolean caseInsensitive) {
    return caseInsensitive ? Character.toLowerCase(Character.toUpperCase(c)) : c;
  }

  @Override
  public String toString() {
    return "LikePattern" + (caseInsensitive ? "(ilike)" : "(like)");
  }
}
