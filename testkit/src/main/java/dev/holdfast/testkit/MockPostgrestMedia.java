package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A media type as PostgREST's {@code MediaType} decodes one ({@code application/vnd.pgrst.object} with or without
 * {@code +json}, {@code nulls=stripped}, any type ({@code &#42;/&#42;}), the plan types, anything else as "other"), and the
 * {@code Accept} header as wai-extra's {@code parseHttpAccept} orders it (by {@code q}, then specificity).
 * Immutable.
 */
record MockPostgrestMedia(Kind kind, boolean stripNulls, String other) {
  enum Kind { JSON, GEOJSON, CSV, TEXT, XML, OPENAPI, URLENCODED, OCTET, ANY, OTHER, ARRAY, SINGULAR, PLAN }

  static MockPostgrestMedia decode(String raw) {
    String t = raw.strip();
    int semi = t.indexOf(';');
    String type = (semi < 0 ? t : t.substring(0, semi)).strip();
    Map<String, String> params = new LinkedHashMap<>();
    if (semi >= 0) {
      for (String p : t.substring(semi + 1).split(";")) {
        int eq = p.indexOf('=');
        if (eq > 0) {
          params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip().replace("\"",
              ""));
        }
      }
    }
    boolean strip = "stripped".equals(params.get("nulls"));
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "application/json" -> new MockPostgrestMedia(Kind.JSON, false, null);
      case "application/geo+json" -> new MockPostgrestMedia(Kind.GEOJSON, false, null);
      case "text/csv" -> new MockPostgrestMedia(Kind.CSV, false, null);
      case "text/plain" -> new MockPostgrestMedia(Kind.TEXT, false, null);
      case "text/xml" -> new MockPostgrestMedia(Kind.XML, false, null);
      case "application/openapi+json" -> new MockPostgrestMedia(Kind.OPENAPI, false, null);
      case "application/x-www-form-urlencoded" -> new MockPostgrestMedia(Kind.URLENCODED, false, null);
      case "application/octet-stream" -> new MockPostgrestMedia(Kind.OCTET, false, null);
      case "application/vnd.pgrst.object+json", "application/vnd.pgrst.object" ->
          new MockPostgrestMedia(Kind.SINGULAR, strip, null);
      case "application/vnd.pgrst.array+json", "application/vnd.pgrst.array" ->
          strip ? new MockPostgrestMedia(Kind.ARRAY, true, null) : new MockPostgrestMedia(Kind.JSON, false, null);
      case "application/vnd.pgrst.plan", "application/vnd.pgrst.plan+text", "application/vnd.pgrst.plan+json" ->
          new MockPostgrestMedia(Kind.PLAN, false, planMime(type, params));
      case "*/*" -> new MockPostgrestMedia(Kind.ANY, false, null);
      default -> new MockPostgrestMedia(Kind.OTHER, false, t);
    };
  }

  private static String planMime(String type, Map<String, String> params) {
    String format = type.toLowerCase(Locale.ROOT).endsWith("+json") ? "json" : "text";
    String forType = params.getOrDefault("for", "application/json");
    String options = params.get("options");
    return "application/vnd.pgrst.plan+" + format + "; for=\"" + decode(forType).mime() + "\""
        + (options == null ? "" : "; options=" + options);
  }

  /** {@code toMime}. */
  String mime() {
    return switch (kind) {
      case JSON -> "application/json";
      case GEOJSON -> "application/geo+json";
      case CSV -> "text/csv";
      case TEXT -> "text/plain";
      case XML -> "text/xml";
      case OPENAPI -> "application/openapi+json";
      case URLENCODED -> "application/x-www-form-urlencoded";
      case OCTET -> "application/octet-stream";
      case ANY -> "*/*";
      case ARRAY -> "application/vnd.pgrst.array+json;nulls=stripped";
      case SINGULAR -> stripNulls ? "application/vnd.pgrst.object+json;nulls=stripped"
          : "application/vnd.pgrst.object+json";
      case PLAN, OTHER -> other;
    };
  }

  /** The {@code Content-Type} PostgREST answers with. */
  String contentType() {
    return kind == Kind.OCTET || kind == Kind.OTHER ? mime() : mime() + "; charset=utf-8";
  }

  boolean singular() {
    return kind == Kind.SINGULAR;
  }

  /** The accepted types in wai-extra's order; any type when there is no {@code Accept}. */
  static List<MockPostgrestMedia> accept(String header) {
    List<MockPostgrestMedia> out = new ArrayList<>();
    if (header == null) {
      out.add(new MockPostgrestMedia(Kind.ANY, false, null));
      return out;
    }
    List<Object[]> items = new ArrayList<>();
    for (String part : header.split(",", -1)) {
      String s = part.replace(" ", "");
      int q = s.indexOf(";q=");
      double quality = 1.0;
      String type = s;
      if (q >= 0) {
        type = s.substring(0, q);
        String qs = s.substring(q + 3);
        int semi = qs.indexOf(';');
        try {
          quality = Double.parseDouble(semi < 0 ? qs : qs.substring(0, semi));
        } catch (NumberFormatException e) {
          quality = 1.0;
        }
      }
      long semicolons = type.chars().filter(c -> c == ';').count();
      long stars = type.chars().filter(c -> c == '*').count();
      items.add(new Object[] {type, quality, semicolons - stars});
    }
    items.sort(Comparator.comparingDouble((Object[] a) -> (Double) a[1])
        .thenComparingLong(a -> (Long) a[2]).reversed());
    for (Object[] i : items) {
      out.add(decode((String) i[0]));
    }
    return out;
  }
}
