package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.Filter;
import dev.holdfast.Order;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/** One request to MockPostgrest, read into PostgREST's concepts. Immutable once parsed. */
final class MockPostgrestRequest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESERVED = Set.of("select", "order", "limit", "offset", "on_conflict",
      "columns");

  private final String method;
  private final HttpUrl url;
  private final String schema;
  private final Map<String, String> prefer;
  private final String accept;
  private final String range;
  private final String body;

  private MockPostgrestRequest(RecordedRequest r) {
    this.method = r.getMethod();
    this.url = r.getUrl();
    boolean read = method.equals("GET") || method.equals("HEAD");
    String profile = r.getHeaders().get(read ? "Accept-Profile" : "Content-Profile");
    this.schema = profile == null ? "public" : profile;
    this.prefer = new LinkedHashMap<>();
    for (String header : r.getHeaders().values("Prefer")) {
      for (String part : header.split(",")) {
        String[] kv = part.trim().split("=", 2);
        prefer.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
      }
    }
    String acceptHeader = r.getHeaders().get("Accept");
    this.accept = acceptHeader == null ? "" : acceptHeader;
    this.range = r.getHeaders().get("Range");
    this.body = r.getBody() == null ? "" : r.getBody().utf8();
  }

  static MockPostgrestRequest of(RecordedRequest recorded) {
    return new MockPostgrestRequest(recorded);
  }

  String method() {
    return method;
  }

  String schema() {
    return schema;
  }

  /** A {@code Prefer} preference such as {@code return}, {@code count}, {@code resolution}, or null. */
  String prefer(String key) {
    return prefer.get(key);
  }

  boolean single() {
    return accept.contains("application/vnd.pgrst.object+json");
  }

  /** The conjunction of every filter parameter. */
  Filter filter() {
    List<Filter> filters = new ArrayList<>();
    for (int i = 0; i < url.querySize(); i++) {
      String name = url.queryParameterName(i);
      String value = url.queryParameterValue(i);
      if (RESERVED.contains(name) || value == null) {
        continue;
      }
      filters.add(MockPostgrestSyntax.isTree(name) ? MockPostgrestSyntax.tree(name, value)
          : MockPostgrestSyntax.columnFilter(name, value));
    }
    return filters.size() == 1 ? filters.get(0) : new Filter.And(filters);
  }

  /** The non-reserved parameters, as a GET RPC's arguments. */
  Map<String, String> arguments() {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i < url.querySize(); i++) {
      if (!RESERVED.contains(url.queryParameterName(i))) {
        args.put(url.queryParameterName(i), String.valueOf(url.queryParameterValue(i)));
      }
    }
    return args;
  }

  /** The select list; empty for all columns. */
  List<MockPostgrestSyntax.Selected> select() {
    String select = url.queryParameter("select");
    return select == null ? List.of() : MockPostgrestSyntax.select(select);
  }

  List<Order> order() {
    String order = url.queryParameter("order");
    return order == null ? List.of() : MockPostgrestSyntax.order(order);
  }

  /** The first row to return: the Range header's start, else {@code offset}. */
  long offset() {
    if (range != null) {
      return rangeBounds()[0];
    }
    return number("offset", 0);
  }

  /** The most rows to return, or -1: the Range header's size, else {@code limit}. */
  long limit() {
    if (range != null) {
      long[] b = rangeBounds();
      return b[1] < 0 ? -1 : b[1] - b[0] + 1;
    }
    return number("limit", -1);
  }

  private long[] rangeBounds() {
    String[] parts = range.trim().split("-", -1);
    try {
      long from = Long.parseLong(parts[0]);
      long to = parts.length > 1 && !parts[1].isEmpty() ? Long.parseLong(parts[1]) : -1;
      if (from < 0 || (to >= 0 && to < from)) {
        throw new NumberFormatException();
      }
      return new long[] {from, to};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new MockPostgrestError(416, "PGRST103", "Requested range not satisfiable", null, null);
    }
  }

  private long number(String name, long fallback) {
    String v = url.queryParameter(name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw MockPostgrestError.parse(name + " (" + v + ")", "expecting a non-negative integer");
    }
  }

  /** The {@code on_conflict} columns, or null when absent (then the primary key). */
  List<String> onConflict() {
    String v = url.queryParameter("on_conflict");
    return v == null ? null : List.of(v.split(","));
  }

  List<String> columns() {
    String v = url.queryParameter("columns");
    return v == null ? null : List.of(v.split(","));
  }

  /** The parsed JSON body, or null when there is none. */
  JsonNode jsonBody() {
    if (body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new MockPostgrestError(400, "PGRST102", "Empty or invalid json", null, null);
    }
  }

  static MockResponse json(int status, String body, boolean head) {
    MockResponse.Builder b = new MockResponse.Builder().code(status)
        .setHeader("Content-Type", "application/json; charset=utf-8");
    return (head ? b : b.body(body)).build();
  }
}
