package dev.holdfast.postgrest.internal;

/**
 * Checks values bound for HTTP headers before OkHttp sees them. OkHttp refuses a line break or a non-ASCII
 * character with an {@link IllegalArgumentException} whose message quotes the value, which for an API key or a
 * JWT is the secret itself; these checks describe the problem without ever showing the value. Thread-safe
 * (stateless).
 */
public final class HeaderValues {
  private HeaderValues() {}

  /**
   * What is wrong with {@code value} as a header value, without quoting it, or null when it can be sent: only
   * tab and the printable ASCII characters (space to {@code ~}) may appear, and it may not be empty.
   */
  public static String problem(String value) {
    if (value.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        return "contains a line break (at position " + (i + 1) + " of " + value.length() + ")";
      }
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return "contains a " + (c < 0x20 || c == 0x7f ? "control" : "non-ASCII") + " character (at position "
            + (i + 1) + " of " + value.length() + ")";
      }
    }
    if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
      return "starts or ends with a space";
    }
    return null;
  }

  /**
   * What is wrong with {@code value} as a credential (an API key or a bearer token), or null: a header value
   * without any space or tab, since no key or JWT holds one and a pasted one is always a mistake.
   */
  public static String credentialProblem(String value) {
    String problem = problem(value);
    if (problem != null) {
      return problem;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == ' ' || value.charAt(i) == '\t') {
        return "contains a space or tab (at position " + (i + 1) + " of " + value.length() + ")";
      }
    }
    return null;
  }

  /** Whether {@code name} is an HTTP field name (an RFC 9110 token). */
  public static boolean isName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        return false;
      }
    }
    return true;
  }
}
