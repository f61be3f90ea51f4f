package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.postgrest.PostgrestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;

/** Assembles {@link HttpSpec}s from request options and reads responses into {@link PostgrestResponse}s. */
public final class Requests {
  private static final String SINGLE = "application/vnd.pgrst.object+json";

  private Requests() {}

  /**
   * Everything a request sets, already validated.
   *
   * @param method the HTTP method
   * @param rpc whether this calls a function
   * @param insert whether this inserts (or upserts) rows
   * @param upsert whether this upserts
   * @param select the select list, or null
   * @param filters encoded filter parameters
   * @param order sort keys
   * @param limit the limit, or null
   * @param offset the offset, or null
   * @param range the {@code Range} header's value, or null
   * @param count a {@code count=} preference, or null
   * @param returning a {@code return=} preference, or null
   * @param onConflict the upsert's conflict columns
   * @param ignoreDuplicates whether an upsert skips existing rows
   * @param single whether one object is expected
   * @param schema the schema profile, or null
   * @param timeout the call timeout, or null
   */
  public record Options(String method, boolean rpc, boolean insert, boolean upsert, String select,
      List<QueryParam> filters, List<Order> order, Integer limit, Long offset, String range, String count,
      String returning, List<String> onConflict, boolean ignoreDuplicates, boolean single, String schema,
      Duration timeout) {}

  /** The spec for {@code o} on {@code path} with {@code payload} as body (or, for GET/HEAD RPC, arguments). */
  public static HttpSpec spec(Options o, List<String> path, JsonNode payload, ObjectMapper mapper) {
    boolean read = o.method().equals("GET") || o.method().equals("HEAD");
    List<QueryParam> params = new ArrayList<>();
    List<String> prefer = new ArrayList<>();
    if (o.rpc() && read && payload != null) {
      payload.fields().forEachRemaining(e -> params.add(new QueryParam(e.getKey(), argument(e.getValue()))));
    }
    if (o.select() != null && (read || o.rpc() || "return=representation".equals(o.returning()))) {
      params.add(new QueryParam("select", o.select()));
    }
    if (o.insert() && payload != null && payload.isArray()) {
      List<String> columns = unionOfKeys(payload);
      if (columns != null) {
        params.add(new QueryParam("columns", String.join(",", columns)));
        prefer.add("missing=default");
      }
    }
    if (o.upsert()) {
      prefer.add(o.ignoreDuplicates() ? "resolution=ignore-duplicates" : "resolution=merge-duplicates");
      if (!o.onConflict().isEmpty()) {
        params.add(new QueryParam("on_conflict", String.join(",", o.onConflict())));
      }
    }
    params.addAll(o.filters());
    if (!o.order().isEmpty()) {
      params.add(new QueryParam("order", FilterEncoder.order(o.order())));
    }
    if (o.limit() != null) {
      params.add(new QueryParam("limit", o.limit().toString()));
    }
    if (o.offset() != null && o.offset() > 0) {
      params.add(new QueryParam("offset", o.offset().toString()));
    }
    if (o.returning() != null) {
      prefer.add(o.returning());
    }
    if (o.count() != null) {
      prefer.add(o.count());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (!prefer.isEmpty()) {
      headers.put("Prefer", String.join(",", prefer));
    }
    if (o.single()) {
      headers.put("Accept", SINGLE);
    }
    if (o.range() != null) {
      headers.put("Range-Unit", "items");
      headers.put("Range", o.range());
    }
    if (o.schema() != null) {
      headers.put(read ? "Accept-Profile" : "Content-Profile", o.schema());
    }
    String body = read || payload == null ? null : write(mapper, payload);
    return new HttpSpec(o.method(), path, params, headers, body, o.timeout());
  }

  /** Sends {@code spec} and reads the body as JSON. */
  public static PostgrestResponse send(Transport transport, ObjectMapper mapper, HttpSpec spec) {
    RawResponse raw = transport.execute(spec);
    JsonNode body = MissingNode.getInstance();
    if (!raw.body().isBlank()) {
      try {
        body = mapper.readTree(raw.body());
      } catch (JsonProcessingException e) {
        // A 2xx that is not JSON comes from something other than PostgREST: a captive portal, a web server.
        throw new ConfigurationException(spec.describe() + " answered HTTP " + raw.status() + " with a body that is"
            + " not JSON" + ErrorMapper.excerpt(raw.body()), ErrorDetails.of(ErrorMapper.BACKEND)
            .withHttpStatus(raw.status()).withHint("Check that the base URL points at PostgREST (Supabase: "
                + "https://<ref>.supabase.co/rest/v1)."), e);
      }
    }
    ContentRange range = raw.contentRange();
    OptionalLong count = range == null ? OptionalLong.empty() : range.count();
    return new PostgrestResponse(raw.status(), body, count);
  }

  /** {@code columns} with whitespace outside double quotes removed, as postgrest-js does. */
  public static String compactSelect(String columns) {
    StringBuilder out = new StringBuilder(columns.length());
    boolean quoted = false;
    for (int i = 0; i < columns.length(); i++) {
      char c = columns.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (quoted || !Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.length() == 0 ? "*" : out.toString();
  }

  /** {@code value} if it is not negative. */
  public static <N extends Number> N nonNegative(N value, String what) {
    if (value.longValue() < 0) {
      throw new IllegalArgumentException(what + " < 0: " + value);
    }
    return value;
  }

  /** The union of the rows' keys in first-seen order, or null when every row has the same keys. */
  private static List<String> unionOfKeys(JsonNode rows) {
    Set<String> union = new LinkedHashSet<>();
    Set<String> first = null;
    boolean differ = false;
    for (JsonNode row : rows) {
      Set<String> keys = new LinkedHashSet<>();
      row.fieldNames().forEachRemaining(keys::add);
      if (first == null) {
        first = keys;
      } else if (!first.equals(keys)) {
        differ = true;
      }
      union.addAll(keys);
    }
    if (!differ) {
      return null;
    }
    for (String key : union) {
      if (!Identifier.isValid(key)) {
        throw new InvalidRequestException("Rows with differing keys need plain column names, not '" + key + "'",
            ErrorDetails.of(ErrorMapper.BACKEND).withHint("Give every row the same keys."), null);
      }
    }
    return List.copyOf(union);
  }

  /** An RPC argument as a query value: scalars as text, arrays as a PostgreSQL array literal. */
  private static String argument(JsonNode value) {
    if (value.isArray()) {
      StringJoiner out = new StringJoiner(",", "{", "}");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        JsonNode e = it.next();
        out.add(e.isNull() ? "NULL" : Values.quote(e.isValueNode() ? e.asText() : e.toString()));
      }
      return out.toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String write(ObjectMapper mapper, JsonNode payload) {
    try {
      return mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("Cannot serialize the request body: " + e.getOriginalMessage(),
          ErrorDetails.of(ErrorMapper.BACKEND), e);
    }
  }
}
