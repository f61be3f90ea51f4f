package dev.holdfast.testkit.internal.rest;

import java.math.BigInteger;

/**
 * Haskell's {@code readMaybe :: String -> Maybe Integer}, which PostgREST applies to {@code limit} and {@code
 * offset}: surrounding white space and parentheses allowed, a leading {@code -}, decimal, {@code 0x} hex and
 * {@code 0o} octal; anything else (a fraction, an exponent, {@code +5}) is no number at all. Values beyond a
 * {@code long} are clamped, which no table reaches. Stateless.
 */
final class HaskellRead {
  private HaskellRead() {}

  static Long integer(String text) {
    String s = text.strip();
    while (s.startsWith("(") && s.endsWith(")")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    boolean negative = false;
    if (s.startsWith("-")) {
      negative = true;
      s = s.substring(1).strip();
      while (s.startsWith("(") && s.endsWith(")")) {
        s = s.substring(1, s.length() - 1).strip();
      }
    }
    int radix = 10;
    if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
      radix = 16;
      s = s.substring(2);
    } else if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'o' || s.charAt(1) == 'O')) {
      radix = 8;
      s = s.substring(2);
    }
    if (s.isEmpty()) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), radix) < 0 || s.charAt(i) > 127) {
        return null;
      }
    }
    BigInteger n = new BigInteger(s, radix);
    if (negative) {
      n = n.negate();
    }
    BigInteger max = BigInteger.valueOf(Long.MAX_VALUE / 4);
    return n.compareTo(max) > 0 ? max.longValue() : n.compareTo(max.negate()) < 0 ? -max.longValue() : n.longValue();
  }
}
