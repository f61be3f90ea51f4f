package dev.holdfast.postgrest.internal;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** How filter values are written as text for PostgREST. Thread-safe (stateless). */
public final class Values {
  // Words PostgREST's list and tree parser could read as something other than a plain string.
  private static final Pattern PLAIN = Pattern.compile("[\\p{L}\\p{N}_-]+");
  private static final String REGEX_SPECIAL = "\\^$.|?*+()[]{}";

  private Values() {}

  /** The text form of a filter value: ISO-8601 for java.time values, plain decimal for numbers. */
  public static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return String.valueOf(value);
  }

  /**
   * {@code text} as it must appear inside {@code in.(...)} or a logic tree: unchanged when it is a plain word,
   * otherwise double-quoted with {@code \} and {@code "} escaped. Empty strings and the keywords {@code null},
   * {@code true}, {@code false} are quoted too, so they stay strings.
   */
  public static String quote(String text) {
    if (PLAIN.matcher(text).matches() && !isKeyword(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  private static boolean isKeyword(String text) {
    return text.equalsIgnoreCase("null") || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
        || text.equalsIgnoreCase("unknown");
  }

  /**
   * An anchored POSIX regular expression matching exactly what the SQL LIKE {@code pattern} matches
   * ({@code %} any run, {@code _} one character, {@code \} escapes the next character).
   */
  public static String likeToRegex(String pattern) {
    StringBuilder out = new StringBuilder(pattern.length() + 8).append('^');
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        literal(out, pattern.charAt(++i));
      } else if (c == '%') {
        out.append(".*");
      } else if (c == '_') {
        out.append('.');
      } else {
        literal(out, c);
      }
    }
    return out.append('$').toString();
  }

  private static void literal(StringBuilder out, char c) {
    if (REGEX_SPECIAL.indexOf(c) >= 0) {
      out.append('\\');
    }
    out.append(c);
  }
}
