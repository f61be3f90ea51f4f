package dev.holdfast.testkit.internal.rest;

import java.util.List;

/**
 * Levenshtein distance, and PostgreSQL's use of it for the hint of {@code 42703 column t.x does not exist}
 * ({@code errorMissingColumn}): the closest column within 3 edits and at most half the length of the name asked
 * for; two equally close ones are both named, three or more none. Stateless.
 */
public final class Levenshtein {
  private Levenshtein() {}

  static int distance(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }

  /** PostgreSQL's HINT for a missing column {@code wanted} of relation {@code alias} with {@code columns}, or null. */
  public static String missingColumnHint(String alias, String wanted, List<String> columns) {
    int best = 4;
    String first = null;
    String second = null;
    boolean tooMany = false;
    int[] w = wanted.codePoints().toArray();
    // PostgreSQL measures in bytes; for ASCII names (nearly all) that is the same as characters.
    int matchLen = wanted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    for (String c : columns) {
      int d = distance(c.codePoints().toArray(), w);
      if (d > matchLen / 2 || d > 3) {
        continue;
      }
      if (d < best) {
        best = d;
        first = c;
        second = null;
        tooMany = false;
      } else if (d == best) {
        if (second != null) {
          first = null;
          second = null;
          tooMany = true;
        } else if (first != null) {
          second = c;
        }
      }
    }
    if (tooMany || first == null) {
      return null;
    }
    if (second == null) {
      return "Perhaps you meant to reference the column \"" + alias + "." + first + "\".";
    }
    return "Perhaps you meant to reference the column \"" + alias + "." + first + "\" or the column \"" + alias + "."
        + second + "\".";
  }
}
