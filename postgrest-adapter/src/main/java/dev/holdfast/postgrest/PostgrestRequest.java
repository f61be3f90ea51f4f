package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.DeadlineExceededException;
import dev.holdfast.Effect;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.Guard;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import dev.holdfast.Order;
import dev.holdfast.postgrest.internal.FilterEncoder;
import dev.holdfast.postgrest.internal.QueryParam;
import dev.holdfast.postgrest.internal.Requests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One PostgREST request being built: filters, columns, order, paging, count and {@code Prefer} options, then
 * {@link #execute()}. Typed filters ({@link #eq}, {@link #in}, {@link #filter(Filter)}, ...) are encoded exactly,
 * so no value can change the shape of the query; {@link #filter(String, String, String)} and {@link #or(String)}
 * take PostgREST's own syntax for what the typed ones do not cover (JSON paths, full-text search, ranges).
 * Not thread-safe: build and execute it on one thread. Executing sends a request each time.
 *
 * <pre>{@code
 * PostgrestResponse page = db.from("tasks").select("id,title,owner:users(name)")
 *     .eq("done", false).in("priority", List.of(1, 2))
 *     .order(Order.desc("created_at").nullsLast()).range(0, 24).count(CountMode.EXACT).execute();
 * long total = page.count().orElseThrow();
 * }</pre>
 */
public final class PostgrestRequest {
  /** What the request does, which decides its method, defaults and validity of options. */
  enum Kind { READ, INSERT, UPSERT, UPDATE, DELETE, RPC }

  private final PostgrestClient client;
  private final List<String> path;
  private final JsonNode body;
  private final Kind kind;
  private String method;
  private final List<Filter> filters = new ArrayList<>();
  private final List<QueryParam> rawFilters = new ArrayList<>();
  private final List<Order> order = new ArrayList<>();
  private String select;
  private Integer limit;
  private Long offset;
  private String range;
  private CountMode count;
  private Returning returning;
  private List<String> onConflict = List.of();
  private boolean ignoreDuplicates;
  private boolean single;
  private String schema;
  private Duration timeout;
  private int chunkSize;

  PostgrestRequest(PostgrestClient client, String method, List<String> path, JsonNode body, Kind kind) {
    this.client = client;
    this.method = method;
    this.path = path;
    this.body = body;
    this.kind = kind;
    this.schema = client.schema();
  }

  /**
   * The columns to read, or for a write the columns of the written rows to return (which also asks for
   * {@code return=representation}); see {@link PostgrestTable#select(String)}. Whitespace outside double quotes
   * is removed.
   */
  public PostgrestRequest select(String columns) {
    this.select = Requests.compactSelect(Objects.requireNonNull(columns, "columns"));
    if (kind != Kind.READ && kind != Kind.RPC && returning == null) {
      returning = Returning.REPRESENTATION;
    }
    return this;
  }

  /** Adds {@code column = value}. */
  public PostgrestRequest eq(String column, Object value) {
    return filter(Filter.eq(column, value));
  }

  /** Adds {@code column <> value}. */
  public PostgrestRequest neq(String column, Object value) {
    return filter(Filter.neq(column, value));
  }

  /** Adds {@code column > value}. */
  public PostgrestRequest gt(String column, Object value) {
    return filter(Filter.gt(column, value));
  }

  /** Adds {@code column >= value}. */
  public PostgrestRequest gte(String column, Object value) {
    return filter(Filter.gte(column, value));
  }

  /** Adds {@code column < value}. */
  public PostgrestRequest lt(String column, Object value) {
    return filter(Filter.lt(column, value));
  }

  /** Adds {@code column <= value}. */
  public PostgrestRequest lte(String column, Object value) {
    return filter(Filter.lte(column, value));
  }

  /** Adds {@code column LIKE pattern} ({@code %} and {@code _} wildcards, {@code \} escapes). */
  public PostgrestRequest like(String column, String pattern) {
    return filter(Filter.like(column, pattern));
  }

  /** Adds {@code column ILIKE pattern} (case-insensitive LIKE). */
  public PostgrestRequest ilike(String column, String pattern) {
    return filter(Filter.ilike(column, pattern));
  }

  /** Adds {@code column IN (values)}; an empty collection matches no row. */
  public PostgrestRequest in(String column, Collection<?> values) {
    return filter(Filter.in(column, values));
  }

  /**
   * Adds {@code column IS value}, where {@code value} is null, true or false.
   *
   * @throws InvalidRequestException if {@code column} is not a valid identifier
   */
  public PostgrestRequest is(String column, Boolean value) {
    if (value == null) {
      return filter(Filter.isNull(column));
    }
    rawFilters.add(new QueryParam(Identifier.require(column, "column"), "is." + value));
    return this;
  }

  /** Adds {@code NOT (filter)}. */
  public PostgrestRequest not(Filter filter) {
    return filter(Objects.requireNonNull(filter, "filter").negate());
  }

  /**
   * Adds a negated filter in PostgREST's own syntax, {@code column=not.operator.value}, as postgrest-js's
   * {@code not(column, operator, value)}; see {@link #filter(String, String, String)}.
   */
  public PostgrestRequest not(String column, String operator, String value) {
    Objects.requireNonNull(operator, "operator");
    return filter(column, "not." + operator, value);
  }

  /** Adds {@code filter}, a core filter of any nesting; see {@link Filter}. */
  public PostgrestRequest filter(Filter filter) {
    filters.add(Objects.requireNonNull(filter, "filter"));
    return this;
  }

  /**
   * Adds a filter in PostgREST's own syntax, {@code column=operator.value}, for operators the typed methods do not
   * cover ({@code fts}, {@code cs}, {@code ov}, {@code sl}, {@code match}, ...) and for JSON paths
   * ({@code data->>kind}). {@code value} is percent-encoded but otherwise sent as given: quote list members
   * yourself.
   */
  public PostgrestRequest filter(String column, String operator, String value) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    rawFilters.add(new QueryParam(column, operator + "." + value));
    return this;
  }

  /**
   * Adds a disjunction in PostgREST's syntax, such as {@code age.lt.18,and(role.eq.admin,active.is.true)}, sent as
   * {@code or=(...)}. Prefer {@code filter(Filter.anyOf(...))}, which quotes values for you.
   */
  public PostgrestRequest or(String expression) {
    rawFilters.add(new QueryParam("or", "(" + Objects.requireNonNull(expression, "expression") + ")"));
    return this;
  }

  /** Adds a sort key after any earlier ones. */
  public PostgrestRequest order(Order key) {
    order.add(Objects.requireNonNull(key, "key"));
    return this;
  }

  /**
   * At most {@code limit} rows ({@code limit=}).
   *
   * @throws IllegalArgumentException if negative
   */
  public PostgrestRequest limit(int limit) {
    this.limit = Requests.nonNegative(limit, "limit");
    return this;
  }

  /**
   * Skips the first {@code offset} rows ({@code offset=}).
   *
   * @throws IllegalArgumentException if negative
   */
  public PostgrestRequest offset(long offset) {
    this.offset = Requests.nonNegative(offset, "offset");
    return this;
  }

  /**
   * Rows {@code from} to {@code to}, both inclusive and zero-based, through the {@code Range} header; PostgREST
   * answers 206 with {@code Content-Range} when the range does not cover every row.
   *
   * @throws IllegalArgumentException if {@code from} is negative or {@code to < from}
   */
  public PostgrestRequest range(long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("invalid range " + from + "-" + to);
    }
    this.range = from + "-" + to;
    return this;
  }

  /** Asks PostgREST to count the matching rows; read it from {@link PostgrestResponse#count()}. */
  public PostgrestRequest count(CountMode mode) {
    this.count = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** Sends {@code HEAD} instead of {@code GET}: only the count and headers, no rows. Reads and RPC only. */
  public PostgrestRequest head() {
    requireKind("head()", Kind.READ, Kind.RPC);
    this.method = "HEAD";
    return this;
  }

  /** Calls a read-only function with {@code GET}, its arguments as query parameters. RPC only. */
  public PostgrestRequest get() {
    requireKind("get()", Kind.RPC);
    this.method = "GET";
    return this;
  }

  /** What a write answers with; default {@link Returning#MINIMAL} unless {@link #select} was called. */
  public PostgrestRequest returning(Returning returning) {
    requireKind("returning()", Kind.INSERT, Kind.UPSERT, Kind.UPDATE, Kind.DELETE);
    this.returning = Objects.requireNonNull(returning, "returning");
    return this;
  }

  /** The unique columns an upsert conflicts on ({@code on_conflict=}); default the primary key. */
  public PostgrestRequest onConflict(String... columns) {
    requireKind("onConflict()", Kind.UPSERT);
    List<String> checked = new ArrayList<>();
    for (String c : columns) {
      checked.add(Identifier.require(c, "column"));
    }
    this.onConflict = List.copyOf(checked);
    return this;
  }

  /** Makes an upsert skip rows that already exist instead of merging them. */
  public PostgrestRequest ignoreDuplicates() {
    requireKind("ignoreDuplicates()", Kind.UPSERT);
    this.ignoreDuplicates = true;
    return this;
  }

  /**
   * Sends an insert or upsert of many rows in requests of at most {@code rows} rows. The chunks are separate
   * transactions: if one fails, earlier chunks stay written.
   *
   * @throws IllegalArgumentException if {@code rows} is not positive
   */
  public PostgrestRequest chunkSize(int rows) {
    requireKind("chunkSize()", Kind.INSERT, Kind.UPSERT);
    if (rows <= 0) {
      throw new IllegalArgumentException("chunk size must be positive: " + rows);
    }
    this.chunkSize = rows;
    return this;
  }

  /** The schema for this request ({@code Accept-Profile}/{@code Content-Profile}); default the client's. */
  public PostgrestRequest schema(String schema) {
    this.schema = Identifier.require(schema, "schema");
    return this;
  }

  /** The most time this request may take, overriding the client's call timeout. */
  public PostgrestRequest timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Sends the request.
   *
   * @throws dev.holdfast.HoldfastException classified by what went wrong (see the package documentation)
   * @throws IllegalStateException if the client is closed
   */
  public PostgrestResponse execute() {
    Optional<List<QueryParam>> encoded = encodedFilters();
    if (encoded.isEmpty()) {
      // The filter can match no row: nothing to read, update or delete, so nothing is sent.
      JsonNode none = single || method.equals("HEAD") ? MissingNode.getInstance()
          : client.mapper().createArrayNode();
      return new PostgrestResponse(0, none, count == null ? OptionalLong.empty() : OptionalLong.of(0));
    }
    if (chunkSize > 0 && body.isArray() && body.size() > chunkSize) {
      return executeChunks(encoded.get());
    }
    return Requests.send(client.transport(), client.mapper(), spec(encoded.get(), body));
  }

  /** Sends the request within {@code context}'s timeout: for an attempt run by a {@link dev.holdfast.Guard}. */
  public PostgrestResponse execute(CallContext context) {
    Duration left = Objects.requireNonNull(context, "context").timeout();
    if (left.isNegative() || left.isZero()) {
      // Sending with no time left could only end in a timeout, and for a write in an unknown outcome.
      throw new DeadlineExceededException(context.operation() + " has no time left to send " + this,
          ErrorDetails.of("postgrest"), null);
    }
    timeout(left);
    return execute();
  }

  /**
   * Sends the request under {@code guard}, which retries it as its {@link #effect()} allows, each attempt within
   * the attempt's timeout.
   *
   * @param operation a short name for logs and events, such as {@code tasks.open}
   * @throws dev.holdfast.HoldfastException when the guard gives up
   */
  public PostgrestResponse execute(Guard guard, String operation) {
    Objects.requireNonNull(guard, "guard");
    return guard.call(new Call(Objects.requireNonNull(operation, "operation"), effect(), null), this::execute);
  }

  /**
   * What repeating this request would do, which decides when a {@link Guard} may retry it: reads (GET, HEAD) are
   * {@link Effect#READ}; upserts are {@link Effect#IDEMPOTENT_WRITE}; inserts, updates, deletes and POST calls of
   * functions are {@link Effect#WRITE}, retried only when the request provably never ran. For an update or delete
   * by primary key, which is safe to repeat, run it with {@code guard.call(Call.idempotentWrite(name),
   * request::execute)} instead.
   */
  public Effect effect() {
    if (method.equals("GET") || method.equals("HEAD")) {
      return Effect.READ;
    }
    return kind == Kind.UPSERT ? Effect.IDEMPOTENT_WRITE : Effect.WRITE;
  }

  /**
   * Sends the request for exactly one row ({@code Accept: application/vnd.pgrst.object+json}).
   *
   * @throws NotFoundException if no row matched
   * @throws InvalidRequestException if several rows matched
   */
  public ObjectNode single() {
    this.single = true;
    PostgrestResponse response = execute();
    if (!response.body().isObject()) {
      throw new NotFoundException("No row matched " + method + " /" + String.join("/", path),
          ErrorDetails.of("postgrest").withCode("PGRST116"), null);
    }
    return (ObjectNode) response.body();
  }

  /**
   * Sends the request for at most one row: empty when none matched.
   *
   * @throws InvalidRequestException if several rows matched
   */
  public Optional<ObjectNode> maybeSingle() {
    try {
      return Optional.of(single());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private PostgrestResponse executeChunks(List<QueryParam> filterParams) {
    ArrayNode all = client.mapper().createArrayNode();
    int status = 0;
    for (int i = 0; i < body.size(); i += chunkSize) {
      ArrayNode chunk = client.mapper().createArrayNode();
      for (int j = i; j < Math.min(body.size(), i + chunkSize); j++) {
        chunk.add(body.get(j));
      }
      PostgrestResponse part = Requests.send(client.transport(), client.mapper(), spec(filterParams, chunk));
      status = Math.max(status, part.status());
      if (part.body().isArray()) {
        all.addAll((ArrayNode) part.body());
      }
    }
    JsonNode merged = returning == Returning.REPRESENTATION ? all : MissingNode.getInstance();
    return new PostgrestResponse(status, merged, OptionalLong.empty());
  }

  private Optional<List<QueryParam>> encodedFilters() {
    if ((kind == Kind.INSERT || kind == Kind.UPSERT) && (!filters.isEmpty() || !rawFilters.isEmpty())) {
      throw new IllegalStateException("filters do not apply to an insert or upsert");
    }
    Filter all = filters.isEmpty() ? Filter.all() : new Filter.And(filters);
    Optional<List<QueryParam>> typed = FilterEncoder.encode(all);
    if (typed.isEmpty()) {
      if (kind == Kind.RPC) {
        // A function call has effects of its own, so it is never skipped.
        throw new InvalidRequestException("The filter on rpc/" + path.get(1) + " can match no row",
            ErrorDetails.of("postgrest"), null);
      }
      return typed;
    }
    List<QueryParam> params = new ArrayList<>(typed.get());
    params.addAll(rawFilters);
    return Optional.of(params);
  }

  private dev.holdfast.postgrest.internal.HttpSpec spec(List<QueryParam> filterParams, JsonNode payload) {
    Requests.Options o = new Requests.Options(method, kind == Kind.RPC, kind == Kind.INSERT || kind
        == Kind.UPSERT, kind == Kind.UPSERT, select, filterParams, order, limit, offset, range,
        count == null ? null : count.preference(),
        returning == null ? null : returning.preference(), onConflict, ignoreDuplicates, single, schema, timeout);
    return Requests.spec(o, path, payload, client.mapper());
  }

  private void requireKind(String option, Kind... allowed) {
    for (Kind k : allowed) {
      if (k == kind) {
        return;
      }
    }
    throw new IllegalStateException(option + " does not apply to a " + kind.name().toLowerCase() + " request");
  }

  @Override
  public String toString() {
    return "PostgrestRequest{" + method + " /" + String.join("/", path) + "}";
  }
}
