package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/** Assembles {@link HttpSpec}s from request options. Thread-safe (stateless). */
public final class Requests {
  // What PostgREST's GET-call parser would take for an operator expression instead of an argument's value.
  private static final Pattern OPERATOR_LIKE = Pattern.compile("not\\.|(?:eq|neq|gt|gte|lt|lte|like|ilike|"
      + "match|imatch|in|is|isdistinct|fts|plfts|phfts|wfts|cs|cd|ov|sl|sr|nxr|nxl|adj)[.(]");

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
   * @param order the encoded {@code order} value, or null
   * @param embedded parameters for embedded resources ({@code clients.order}, {@code clients.limit}), in order
   * @param limit the limit, or null
   * @param offset the offset, or null
   * @param rangeFrom the first row of {@code range(...)}, or -1
   * @param rangeTo the last row of {@code range(...)}, or -1
   * @param count a {@code count=} preference, or null
   * @param returning a {@code return=} preference, or null
   * @param onConflict the upsert's conflict columns
   * @param ignoreDuplicates whether an upsert skips existing rows
   * @param accept the {@code Accept} header, or null for {@code application/json}
   * @param prefer further {@code Prefer} tokens, in order
   * @param headers further headers, already checked
   * @param schema the schema profile, or null
   * @param timeout the call timeout, or null
   */
  public record Options(String method, boolean rpc, boolean insert, boolean upsert, String select,
      List<QueryParam> filters, String order, List<QueryParam> embedded, Integer limit, Long offset,
      long rangeFrom, long rangeTo, String count, String returning, List<String> onConflict,
      boolean ignoreDuplicates, String accept, List<String> prefer, Map<String, String> headers, String schema,
      Duration timeout) {}

  /** The spec for {@code o} on {@code path} with {@code payload} as body (or, for GET/HEAD RPC, arguments). */
  public static HttpSpec spec(Options o, List<String> path, JsonNode payload, ObjectMapper mapper) {
    boolean read = o.method().equals("GET") || o.method().equals("HEAD");
    List<QueryParam> params = new ArrayList<>();
    List<String> prefer = new ArrayList<>(4);
    if (o.rpc() && read && payload != null) {
      payload.properties().iterator().forEachRemaining(e -> params.add(new QueryParam(argumentName(e.getKey(), path),
          argument(e.getValue(), e.getKey()))));
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
    if (o.order() != null) {
      params.add(new QueryParam("order", o.order()));
    }
    params.addAll(o.embedded());
    Integer limit = o.limit();
    Long offset = o.offset();
    Map<String, String> headers = new LinkedHashMap<>();
    if (o.rangeFrom() >= 0) {
      if (o.method().equals("GET")) {
        headers.put("Range-Unit", "items");
        headers.put("Range", o.rangeFrom() + "-" + o.rangeTo());
      } else {
        // PostgREST ignores Range on every method but GET (RFC 9110), so HEAD and POST get limit and offset,
        // intersected with any limit and offset set as well, as PostgREST intersects them for a GET.
        long from = Math.max(o.rangeFrom(), offset == null ? 0 : offset);
        long to = limit == null ? o.rangeTo() : Math.min(o.rangeTo(), (offset == null ? 0 : offset) + limit - 1L);
        limit = (int) Math.max(0, Math.min(Integer.MAX_VALUE, to - from + 1));
        offset = from;
      }
    }
    if (limit != null) {
      params.add(new QueryParam("limit", limit.toString()));
    }
    if (offset != null && offset > 0) {
      params.add(new QueryParam("offset", offset.toString()));
    }
    if (o.returning() != null) {
      prefer.add(o.returning());
    }
    if (o.count() != null) {
      prefer.add(o.count());
    }
    prefer.addAll(o.prefer());
    if (!prefer.isEmpty()) {
      headers.put("Prefer", String.join(",", prefer));
    }
    if (o.accept() != null) {
      headers.put("Accept", o.accept());
    }
    if (o.schema() != null) {
      headers.put(read ? "Accept-Profile" : "Content-Profile", o.schema());
    }
    headers.putAll(o.headers());
    String body = read || payload == null ? null : write(mapper, payload);
    return new HttpSpec(o.method(), path, params, headers, body, o.timeout());
  }

  /** {@code columns} with whitespace outside double quotes removed, as postgrest-js does. */
  public static String compactSelect(String columns) {
    boolean plain = !columns.isEmpty();
    for (int i = 0; i < columns.length() && plain; i++) {
      char c = columns.charAt(i);
      plain = c != '"' && !Character.isWhitespace(c);
    }
    if (plain) {
      return columns;
    }
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

  // Headers holdfast sets from typed options or credentials, and hop-by-hop headers OkHttp manages.
  private static final Set<String> MANAGED_HEADERS = Set.of("accept", "accept-encoding", "accept-profile",
      "content-profile", "content-type", "content-length", "prefer", "range", "range-unit", "apikey",
      "authorization", "host", "connection", "transfer-encoding", "te", "upgrade", "keep-alive", "trailer",
      SentMarker.RETRY_AFTER.toLowerCase(java.util.Locale.ROOT));

  /**
   * {@code name} if a caller may set it on a request.
   *
   * @throws IllegalArgumentException if it is not a header name, or holdfast sets it itself
   */
  public static String requireHeaderName(String name) {
    if (!HeaderValues.isName(name)) {
      throw new IllegalArgumentException("name: not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (MANAGED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("name: " + name + " is set by holdfast; use the typed option (csv(), "
          + "single(), range(), schema(), count(), rollback(), ...) or another client for other credentials");
    }
    return name;
  }

  /**
   * {@code value} if it can be sent as a header value.
   *
   * @throws IllegalArgumentException if it cannot; the message does not show the value, which may be a secret
   */
  public static String requireHeaderValue(String value, String name) {
    String problem = HeaderValues.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("value: the value of header " + name + " " + problem);
    }
    return value;
  }

  /**
   * Checks that every one of {@code params} reaches PostgREST as a filter. One that PostgREST took for its own
   * parameter would drop its condition (and turn a filtered delete into an unfiltered one); the encoder never
   * makes one, and this keeps it so.
   *
   * @throws IllegalStateException if one would not
   */
  public static void requireFilterParameters(List<QueryParam> params) {
    for (QueryParam p : params) {
      if (!isFilterParameter(p.name())) {
        throw new IllegalStateException("filter parameter " + p.name() + " would not reach PostgREST as a filter");
      }
    }
  }

  /**
   * Whether a parameter named {@code name} reaches PostgREST as a filter: a column (or embedded column or JSON
   * path) not named like a reserved parameter, or a logic tree ({@code and}, {@code or}, {@code not.and},
   * {@code not.or}).
   */
  public static boolean isFilterParameter(String name) {
    if (name.equals("and") || name.equals("or") || name.equals("not.and") || name.equals("not.or")) {
      return true;
    }
    int arrow = name.indexOf("->");
    String path = arrow < 0 ? name : name.substring(0, arrow);
    return arrow >= 0 || !QueryNames.isReserved(path.substring(path.lastIndexOf('.') + 1));
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

  /**
   * The name of a GET call's argument: a valid identifier that PostgREST does not take for one of its own
   * parameters (an argument named {@code limit} would limit the result instead of reaching the function).
   */
  private static String argumentName(String name, List<String> path) {
    Identifier.require(name, "argument");
    if (QueryNames.isReserved(name)) {
      throw new InvalidRequestException("The argument '" + name + "' of rpc/" + path.get(path.size() - 1)
          + " cannot be sent by GET: PostgREST reads a query parameter of that name as its own",
          ErrorDetails.of(ErrorMapper.BACKEND).withHint("Call the function by POST (without get()), where "
              + "arguments travel in the body."), null);
    }
    return name;
  }

  /** An RPC argument as a query value: scalars as text, arrays as a PostgreSQL array literal. */
  private static String argument(JsonNode value, String name) {
    if (value.isArray()) {
      StringJoiner out = new StringJoiner(",", "{", "}");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        JsonNode e = it.next();
        out.add(e.isNull() ? "NULL" : Values.quote(FilterEncoder.requireSendable(e.isValueNode() ? e.asText()
            : e.toString(), name)));
      }
      return out.toString();
    }
    String text = FilterEncoder.requireSendable(value.isValueNode() ? value.asText() : value.toString(), name);
    if (OPERATOR_LIKE.matcher(text).lookingAt()) {
      // PostgREST first tries to read every GET parameter as a filter (operator.value); only what does not
      // parse is an argument, so this value would filter the result or fail instead of reaching the function.
      throw new InvalidRequestException("The value of argument '" + name + "' looks like a PostgREST filter "
          + "(operator.value), so PostgREST would not pass it to the function by GET", ErrorDetails
          .of(ErrorMapper.BACKEND).withHint("Call the function by POST (without get()), where arguments travel "
              + "in the body."), null);
    }
    return text;
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
