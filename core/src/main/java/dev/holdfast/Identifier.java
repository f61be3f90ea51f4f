package dev.holdfast;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validates table, schema and column names. A valid identifier is 1 to 63 characters of ASCII letters, digits and
 * underscores, not starting with a digit: exactly what PostgreSQL accepts unquoted (plus upper case, which
 * adapters preserve by quoting). Anything else is rejected before it can reach SQL or a URL. Thread-safe.
 */
public final class Identifier {
  private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

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
    if (!VALID.matcher(name).matches()) {
      String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
      throw new InvalidRequestException(
          "Invalid " + what + " name '" + shown.replace("\n", "\\n") + "'",
          ErrorDetails.of("holdfast")
              .withHint("Use 1-63 letters, digits and underscores, not starting with a digit."),
          null);
    }
    return name;
  }

  /** Whether {@code name} is a valid identifier. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
