package dev.holdfast.postgrest.internal;

import java.util.OptionalLong;

/**
 * PostgREST's {@code Content-Range} header: {@code 0-24/3573}, {@code *}{@code /0} for no rows,
 * {@code 0-24/*} or {@code *}{@code /*} when no count was asked for. Immutable.
 *
 * @param first the first row's index, or -1 when the range is {@code *}
 * @param last the last row's index, or -1 when the range is {@code *}
 * @param total the total row count, or -1 when unknown ({@code *})
 */
public record ContentRange(long first, long last, long total) {
  /**
   * Parses {@code header}; null when it is absent or malformed (a proxy may strip or mangle it, and a missing
   * count must not fail an otherwise good response).
   */
  public static ContentRange parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.startsWith("items ")) {
      h = h.substring(6).trim();
    }
    int slash = h.indexOf('/');
    if (slash < 0) {
      return null;
    }
    try {
      String range = h.substring(0, slash).trim();
      String size = h.substring(slash + 1).trim();
      long total = size.equals("*") ? -1 : digits(size);
      if (range.equals("*")) {
        return new ContentRange(-1, -1, total);
      }
      int dash = range.indexOf('-');
      if (dash <= 0) {
        return null;
      }
      long first = digits(range.substring(0, dash));
      long last = digits(range.substring(dash + 1));
      return last < first ? null : new ContentRange(first, last, total);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A non-negative decimal number; a sign, a fraction or a number beyond {@code long} is malformed. */
  private static long digits(String text) {
    if (text.isEmpty() || text.length() > 19) {
      throw new NumberFormatException("not a count");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not a count");
      }
    }
    return Long.parseLong(text);
  }

  /** The total count, when the server sent one. */
  public OptionalLong count() {
    return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
  }
}
