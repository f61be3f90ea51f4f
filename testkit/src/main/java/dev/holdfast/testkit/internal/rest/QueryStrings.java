package dev.holdfast.testkit.internal.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Query strings as PostgREST's libraries handle them: http-types' {@code parseQueryReplacePlus True} (pairs split
 * on {@code &} and {@code ;}, {@code +} read as a space, malformed {@code %} escapes kept) and HTTP's
 * {@code urlEncodeVars} for the canonical form in {@code Content-Location} (sorted by name, repeated names joined
 * with commas). Stateless.
 */
public final class QueryStrings {
  private QueryStrings() {}

  /** The decoded pairs; a pair without {@code =} has a null value. */
  public static List<String[]> split(String raw) {
    List<String[]> out = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    String q = raw.startsWith("?") ? raw.substring(1) : raw;
    int start = 0;
    for (int i = 0; i <= q.length(); i++) {
      if (i == q.length() || q.charAt(i) == '&' || q.charAt(i) == ';') {
        if (i == q.length() && start == i && !out.isEmpty()) {
          break;
        }
        String pair = q.substring(start, i);
        int eq = pair.indexOf('=');
        out.add(eq < 0 ? new String[] {decode(pair), null}
            : new String[] {decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))});
        start = i + 1;
      }
    }
    return out;
  }

  /** http-types' {@code urlDecode True}, then UTF-8 (malformed bytes become U+FFFD). */
  public static String decode(String s) {
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        out.write(' ');
      } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    } else if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    } else if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  /** The canonical query PostgREST puts in {@code Content-Location}. */
  public static String canonical(List<String[]> pairs) {
    List<String[]> sorted = new ArrayList<>(pairs);
    sorted.sort(Comparator.comparing(kv -> latin1(kv[0])));
    StringBuilder out = new StringBuilder();
    List<String[]> rest = sorted;
    while (!rest.isEmpty()) {
      String name = rest.get(0)[0];
      List<String[]> diff = new ArrayList<>();
      out.append(out.length() == 0 ? "" : "&").append(urlEncode(name)).append('=')
          .append(urlEncode(value(rest.get(0))));
      for (String[] kv : rest.subList(1, rest.size())) {
        if (kv[0].equals(name)) {
          out.append(',').append(urlEncode(value(kv)));
        } else {
          diff.add(kv);
        }
      }
      rest = diff;
    }
    return out.toString();
  }

  private static String value(String[] kv) {
    return kv[1] == null ? "" : kv[1];
  }

  /** The UTF-8 bytes of {@code s} as Latin-1 characters, as {@code BS.unpack} sees them. */
  private static String latin1(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** http-types' {@code urlEncode True}, as {@code renderSimpleQuery} writes a Location's query. */
  public static String queryEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c < 128 && Character.isLetterOrDigit(c)) || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /**
   * {@code Network.HTTP.Base.urlEncode} over the bytes-as-characters PostgREST hands it, so a byte above 127 is
   * UTF-8 encoded once more ({@code ü} becomes {@code %C3%83%C2%BC}), exactly as PostgREST prints it.
   */
  static String urlEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : latin1(s).toCharArray()) {
      if ((c < 128 && Character.isLetterOrDigit(c)) || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
      }
    }
    return out.toString();
  }
}
