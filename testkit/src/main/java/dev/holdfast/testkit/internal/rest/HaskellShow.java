package dev.holdfast.testkit.internal.rest;

/**
 * Haskell's {@code show} for strings and characters, which Parsec uses to print tokens in its error messages:
 * {@code "x"} and {@code 'x'}, with Haskell's escapes ({@code \"}, {@code \\}, {@code \n}, {@code \DEL}, and
 * decimal codes such as {@code \252} for everything beyond ASCII). Stateless.
 */
final class HaskellShow {
  private static final String[] ASCII = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "a", "b", "t", "n", "v",
      "f", "r", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS",
      "GS", "RS", "US"};

  private HaskellShow() {}

  /** {@code show} of a String. */
  static String string(String s) {
    StringBuilder out = new StringBuilder("\"");
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '"') {
        out.append("\\\"");
      } else {
        appendLit(out, c, i + 1 < cps.length ? cps[i + 1] : -1);
      }
    }
    return out.append('"').toString();
  }

  /** {@code show} of a Char. */
  static String ch(int c) {
    StringBuilder out = new StringBuilder("'");
    if (c == '\'') {
      out.append("\\'");
    } else {
      appendLit(out, c, -1);
    }
    return out.append('\'').toString();
  }

  /** Haskell's {@code showLitChar}, with {@code \&} where the next character would extend the escape. */
  private static void appendLit(StringBuilder out, int c, int next) {
    if (c > 127) {
      out.append('\\').append(c);
      if (next >= '0' && next <= '9') {
        out.append("\\&");
      }
    } else if (c == 127) {
      out.append("\\DEL");
    } else if (c == '\\') {
      out.append("\\\\");
    } else if (c >= ' ') {
      out.appendCodePoint(c);
    } else {
      out.append('\\').append(ASCII[c]);
      if (c == 14 && next == 'H') {
        out.append("\\&");
      }
    }
  }
}
