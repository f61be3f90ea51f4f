package dev.holdfast.jdbc.internal;

/** Checks that text shown to a person holds no part of a password. Internal; stateless. */
final class Passwords {
  /** Parts of this length or longer count as "a part of the password". */
  static final int FRAGMENT = 4;

  private Passwords() {}

  /**
   * Whether {@code value} contains a run of {@value #FRAGMENT} characters of {@code password} (the whole password
   * when it is shorter), so that showing it would reveal a part of the password.
   */
  static boolean shares(String value, String password) {
    if (value == null || password == null || password.isEmpty()) {
      return false;
    }
    if (password.length() < FRAGMENT) {
      return password.length() >= 3 ? value.contains(password) : value.equals(password);
    }
    for (int i = 0; i + FRAGMENT <= password.length(); i++) {
      if (value.contains(password.substring(i, i + FRAGMENT))) {
        return true;
      }
    }
    return false;
  }
}
