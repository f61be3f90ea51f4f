package dev.holdfast;

import java.util.Objects;

/**
 * Validates table, schema and column names. A valid identifier is 1 to 63 characters of ASCII letters, digits and
 * underscores, not starting with a digit: exactly what PostgreSQL accepts unquoted (plus upper case, which
 * adapters preserve by quoting). Anything else is rejected before it can reach SQL or a URL. Thread-safe.
 */
public final class Identifier {
  private Identifier() {}

  /**
   * Returns {@code name} if it is a valid identifier.
   *
   * @param what what the name is, for the message ("column", "table")
   * @throws NullPointerException if {@code name} is null
   * @throws InvalidRequestException if {@code name} is not a valid identifier
   */
  public static String require(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!isValid(name)) {
      throw new InvalidRequestException(
          "Invalid " + what + " name '" + shown(name) + "'",
          ErrorDetails.of("holdfast")
              .withHint("Use 1-63 letters, digits and underscores, not starting with a digit."),
          null);
    }
    return name;
  }

  /** {@code name} as a message may quote it: at most 80 characters, control characters escaped. */
  static String shown(String name) {
    String cut = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  /** Whether {@code name} is a valid identifier. */
  public static boolean isValid(String name) {
    // A loop, not a regex: every call of every repository checks its names, and a Matcher per check shows up.
    if (name == null || name.isEmpty() || name.length() > 63) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
