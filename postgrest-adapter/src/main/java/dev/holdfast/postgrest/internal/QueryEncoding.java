package dev.holdfast.postgrest.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Percent-encodes query strings. OkHttp's {@code addQueryParameter} checks every character against its encode
 * set with a string search, which made building the URL the largest cost of a request on a fast network; this
 * encodes by table lookup, and what it leaves unencoded (ASCII letters, digits and {@code -._~,()*:!$'@/}) OkHttp
 * accepts as already encoded. Everything that could end a parameter or change its meaning ({@code &}, {@code ;},
 * {@code =}, {@code #}, {@code +}, {@code %}, space) and all non-ASCII text (as UTF-8) is encoded. Thread-safe (stateless).
 */
public final class QueryEncoding {
  private static final boolean[] SAFE = new boolean[128];
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      SAFE[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      SAFE[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      SAFE[c] = true;
    }
    // Not ';': PostgREST's query parser (http-types' parseQuery) splits parameters at ';' as at '&'.
    for (char c : "-._~,()*:!$'@/".toCharArray()) {
      SAFE[c] = true;
    }
  }

  private QueryEncoding() {}

  /** The encoded query {@code name=value&...} of {@code params}, or null when there are none. */
  public static String query(List<QueryParam> params) {
    if (params.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < params.size(); i++) {
      QueryParam p = params.get(i);
      if (i > 0) {
        out.append('&');
      }
      append(out, p.name());
      out.append('=');
      append(out, p.value());
    }
    return out.toString();
  }

  static void append(StringBuilder out, String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 128 && SAFE[c]) {
        out.append(c);
      } else if (c < 128) {
        hex(out, c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < n ? i + 2 : i + 1;
        for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          hex(out, b & 0xff);
        }
        i = end - 1;
      }
    }
  }

  private static void hex(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }
}
