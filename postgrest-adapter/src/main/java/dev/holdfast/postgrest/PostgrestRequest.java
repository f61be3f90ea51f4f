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
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import dev.holdfast.Order;
import dev.holdfast.TransientException;
import dev.holdfast.postgrest.internal.Expectation;
import dev.holdfast.postgrest.internal.FilterEncoder;
import dev.holdfast.postgrest.internal.HttpSpec;
import dev.holdfast.postgrest.internal.Media;
import dev.holdfast.postgrest.internal.QueryNames;
import dev.holdfast.postgrest.internal.QueryParam;
import dev.holdfast.postgrest.internal.Requests;
import dev.holdfast.postgrest.internal.SingleRow;
import dev.holdfast.spi.TableMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One PostgREST request being built: filters, columns, order, paging, count, media type, {@code Prefer} options
 * and headers, then {@link #execute()}. Typed filters ({@link #eq}, {@link #in}, {@link #filter(Filter)}, ...)
 * are encoded exactly, so no value can change the shape of the query; {@link #filter(String, String, String)} and
 * {@link #or(String)} take PostgREST's own syntax for what the typed ones do not cover (JSON paths, full-text
 * search, ranges). Column names are validated identifiers everywhere; a filter on a column named like one of
 * PostgREST's own parameters ({@code select}, {@code order}, {@code limit}, ...) is sent inside an
 * {@code and=(...)} tree, where PostgREST reads it as a column. Not thread-safe: build and execute it on one
 * thread. Executing sends a request each time.
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
  // Collections start empty and immutable and are made on first use: most requests set few options.
  private List<Filter> filters = List.of();
  private List<QueryParam> rawFilters = List.of();
  private List<String> reservedIsItems = List.of();
  private List<String> orderTerms = List.of();
  private Map<String, String> embedded = Map.of();
  private String select;
  private Integer limit;
  private Long offset;
  private long rangeFrom = -1;
  private long rangeTo = -1;
  private CountMode count;
  private Returning returning;
  private List<String> onConflict = List.of();
  private boolean ignoreDuplicates;
  private boolean single;
  private Media media = Media.JSON;
  private boolean stripNulls;
  private Explain.Format explain;
  private List<Explain.Option> explainOptions = List.of();
  private List<String> prefer = List.of();
  private Map<String, String> headers = Map.of();
  private String schema;
  private Duration timeout;
  private int chunkSize;
  private boolean requireFilter;

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
    QueryNames.requireIdentifier(column, "column");
    if (QueryNames.isReserved(column)) {
      reservedIsItems = add(reservedIsItems, column + ".is." + value);
    } else {
      rawFilters = add(rawFilters, new QueryParam(column, "is." + value));
    }
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
    filters = add(filters, Objects.requireNonNull(filter, "filter"));
    return this;
  }

  /**
   * Adds a filter in PostgREST's own syntax, {@code column=operator.value}, for operators the typed methods do not
   * cover ({@code fts}, {@code cs}, {@code ov}, {@code sl}, {@code match}, ...), for JSON paths
   * ({@code data->>kind}) and embedded resources ({@code clients.name}). {@code value} is percent-encoded but
   * otherwise sent as given: quote list members yourself.
   *
   * @throws InvalidRequestException if {@code column} is not an identifier, an embedded path or a JSON path; if
   *     it is named like a reserved parameter (use {@link #filter(Filter)}, which can express that); if
   *     {@code operator} is not an operator word; or if {@code value} holds the NUL character
   */
  public PostgrestRequest filter(String column, String operator, String value) {
    QueryNames.requireFilterColumn(Objects.requireNonNull(column, "column"));
    QueryNames.requireOperator(Objects.requireNonNull(operator, "operator"));
    rawFilters = add(rawFilters, new QueryParam(column, operator + "." + FilterEncoder.requireSendable(
        Objects.requireNonNull(value, "value"), column)));
    return this;
  }

  /**
   * Adds a disjunction in PostgREST's syntax, such as {@code age.lt.18,and(role.eq.admin,active.is.true)}, sent as
   * {@code or=(...)}. Prefer {@code filter(Filter.anyOf(...))}, which quotes values for you.
   */
  public PostgrestRequest or(String expression) {
    FilterEncoder.requireSendable(Objects.requireNonNull(expression, "expression"), "or");
    rawFilters = add(rawFilters, new QueryParam("or", "(" + expression + ")"));
    return this;
  }

  /** Adds a sort key after any earlier ones. */
  public PostgrestRequest order(Order key) {
    Objects.requireNonNull(key, "key");
    orderTerms = add(orderTerms, QueryNames.orderTerm(key.column(), key.descending(), key.nulls()));
    return this;
  }

  /**
   * Adds a sort key on a JSON path, such as {@code data->>created} (text) or {@code data->priority} (jsonb),
   * after any earlier ones.
   *
   * @throws InvalidRequestException if {@code path} is not a column followed by {@code ->}/{@code ->>} steps of
   *     letters, digits and underscores or array indexes
   */
  public PostgrestRequest orderByJson(String path, boolean descending, Order.Nulls nulls) {
    QueryNames.requireJsonPath(Objects.requireNonNull(path, "path"));
    orderTerms = add(orderTerms, QueryNames.orderTerm(path, descending, Objects.requireNonNull(nulls, "nulls")));
    return this;
  }

  /**
   * Orders the rows of the embedded resource {@code referencedTable} (as named in {@link #select}, such as
   * {@code clients} or {@code clients.projects}) by {@code key}, after any earlier keys for it:
   * {@code clients.order=name.asc}.
   *
   * @throws InvalidRequestException if {@code referencedTable} is not a dot-separated path of identifiers
   */
  public PostgrestRequest order(String referencedTable, Order key) {
    String name = QueryNames.requireEmbedPath(Objects.requireNonNull(referencedTable, "referencedTable"))
        + ".order";
    Objects.requireNonNull(key, "key");
    embedded = mutable(embedded);
    embedded.merge(name, QueryNames.orderTerm(key.column(), key.descending(), key.nulls()),
        (a, b) -> a + "," + b);
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
   * At most {@code limit} rows of the embedded resource {@code referencedTable} per parent row
   * ({@code clients.limit=}).
   *
   * @throws IllegalArgumentException if negative
   * @throws InvalidRequestException if {@code referencedTable} is not a dot-separated path of identifiers
   */
  public PostgrestRequest limit(String referencedTable, int limit) {
    String name = QueryNames.requireEmbedPath(Objects.requireNonNull(referencedTable, "referencedTable"));
    embedded = mutable(embedded);
    embedded.put(name + ".limit", Requests.nonNegative(limit, "limit").toString());
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
   * Skips the first {@code offset} rows of the embedded resource {@code referencedTable} per parent row.
   *
   * @throws IllegalArgumentException if negative
   * @throws InvalidRequestException if {@code referencedTable} is not a dot-separated path of identifiers
   */
  public PostgrestRequest offset(String referencedTable, long offset) {
    String name = QueryNames.requireEmbedPath(Objects.requireNonNull(referencedTable, "referencedTable"));
    embedded = mutable(embedded);
    embedded.put(name + ".offset", Requests.nonNegative(offset, "offset").toString());
    return this;
  }

  /**
   * Rows {@code from} to {@code to}, both inclusive and zero-based: the {@code Range} header on a GET (PostgREST
   * answers 206 with {@code Content-Range} when the range does not cover every row), {@code offset} and
   * {@code limit} on HEAD and POST, where PostgREST ignores {@code Range}. Reads and function calls only.
   *
   * @throws IllegalArgumentException if {@code from} is negative or {@code to < from}
   */
  public PostgrestRequest range(long from, long to) {
    requireKind("range()", Kind.READ, Kind.RPC);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("invalid range " + from + "-" + to);
    }
    this.rangeFrom = from;
    this.rangeTo = to;
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
      checked.add(QueryNames.requireIdentifier(c, "column"));
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
    this.schema = QueryNames.requireIdentifier(schema, "schema");
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

  /** Answers as CSV ({@code Accept: text/csv}); read it with {@link PostgrestResponse#text()}. */
  public PostgrestRequest csv() {
    requireMedia("csv()");
    this.media = Media.CSV;
    return this;
  }

  /** Answers as a GeoJSON FeatureCollection ({@code Accept: application/geo+json}), for tables with PostGIS columns. */
  public PostgrestRequest geojson() {
    requireMedia("geojson()");
    this.media = Media.GEOJSON;
    return this;
  }

  /**
   * Leaves null-valued keys out of each returned object ({@code application/vnd.pgrst.array+json;nulls=stripped},
   * or the object variant with {@link #single()}): smaller answers for sparse rows. JSON answers only.
   */
  public PostgrestRequest stripNulls() {
    if (media != Media.JSON) {
      throw new IllegalStateException("stripNulls() applies to JSON answers, not " + media);
    }
    this.stripNulls = true;
    return this;
  }

  /** Answers with PostgreSQL's plan for the request instead of its result; see {@link Explain}. */
  public PostgrestRequest explain(Explain.Format format, Explain.Option... options) {
    this.explain = Objects.requireNonNull(format, "format");
    this.explainOptions = List.of(Objects.requireNonNull(options, "options"));
    return this;
  }

  /**
   * Runs the request and rolls its transaction back ({@code Prefer: tx=rollback}): the answer shows what would
   * have been written, and nothing is. PostgREST honours it only with {@code db-tx-end} set to allow overrides.
   */
  public PostgrestRequest rollback() {
    addPrefer("tx=rollback");
    return this;
  }

  /**
   * Asks PostgREST to reject preferences it does not support instead of ignoring them
   * ({@code Prefer: handling=strict}; PGRST122).
   */
  public PostgrestRequest strict() {
    addPrefer("handling=strict");
    return this;
  }

  /**
   * Fails (PGRST124, or PGRST128 for a function) and rolls back an update, delete or function call that would
   * affect more than {@code rows} rows ({@code Prefer: handling=strict, max-affected=rows}; PostgREST 13+).
   *
   * @throws IllegalArgumentException if negative
   */
  public PostgrestRequest maxAffected(long rows) {
    requireKind("maxAffected()", Kind.UPDATE, Kind.DELETE, Kind.RPC);
    Requests.nonNegative(rows, "rows");
    strict();
    prefer = new ArrayList<>(prefer);
    prefer.removeIf(p -> p.startsWith("max-affected="));
    prefer.add("max-affected=" + rows);
    return this;
  }

  /**
   * Sends the header {@code name: value} with this request, such as a request id or {@code X-Client-Info}. The
   * headers holdfast sets itself from typed options (Accept, Prefer, Range, the profiles, Content-Type) and the
   * credentials ({@code apikey}, {@code Authorization}: use another client for other credentials) cannot be
   * set this way.
   *
   * @throws IllegalArgumentException if {@code name} is not a header name, is one of the headers above, or
   *     {@code value} cannot be sent in a header (the message does not show the value)
   */
  public PostgrestRequest header(String name, String value) {
    headers = mutable(headers);
    headers.put(Requests.requireHeaderName(Objects.requireNonNull(name, "name")),
        Requests.requireHeaderValue(Objects.requireNonNull(value, "value"), name));
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
      JsonNode none = single || method.equals("HEAD") || media != Media.JSON || explain != null
          ? MissingNode.getInstance() : client.mapper().createArrayNode();
      return PostgrestResponse.none(0, none, count == null ? OptionalLong.empty() : OptionalLong.of(0),
          client.mapper());
    }
    if (chunkSize > 0 && body.isArray() && body.size() > chunkSize) {
      return executeChunks(encoded.get());
    }
    return client.send(spec(encoded.get(), body), expectation());
  }

  /** Sends the request within {@code context}'s timeout: for an attempt run by a {@link dev.holdfast.Guard}. */
  public PostgrestResponse execute(CallContext context) {
    timeoutOf(context);
    return execute();
  }

  /** Takes {@code context}'s time left as this request's timeout. */
  private void timeoutOf(CallContext context) {
    Duration left = Objects.requireNonNull(context, "context").timeout();
    if (left.isNegative() || left.isZero()) {
      // Sending with no time left could only end in a timeout, and for a write in an unknown outcome.
      throw new DeadlineExceededException(context.operation() + " has no time left to send " + this,
          ErrorDetails.of("postgrest"), null);
    }
    timeout(left);
  }

  /**
   * Sends a read within {@code context}'s timeout and reads the rows of the answer straight into {@code mapping}'s
   * records (no JSON tree in between): for {@link PostgrestBackend}.
   */
  <T> List<T> executeRecords(CallContext context, TableMapping<T> mapping) {
    if (media != Media.JSON || explain != null || !method.equals("GET")) {
      throw new IllegalStateException("rows are read straight into records only from a JSON GET");
    }
    timeoutOf(context);
    Optional<List<QueryParam>> encoded = encodedFilters();
    if (encoded.isEmpty()) {
      return List.of();
    }
    return client.sendRecords(spec(encoded.get(), body), expectation(), mapping);
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
   * Sends the request for exactly one row ({@code Accept: application/vnd.pgrst.object+json}). A server or proxy
   * that answers with an array of one row instead is understood.
   *
   * @throws NotFoundException if no row matched
   * @throws InvalidRequestException if several rows matched
   */
  public ObjectNode single() {
    if (media != Media.JSON || explain != null) {
      throw new IllegalStateException("single() answers one JSON row; it does not combine with " + (explain != null
          ? "explain()" : media.name().toLowerCase(java.util.Locale.ROOT) + "()"));
    }
    this.single = true;
    PostgrestResponse response = execute();
    return SingleRow.of(response.body(), response.status(), method + " /" + String.join("/", path));
  }

  /**
   * {@link #single()} as a value of {@code type}; see {@link PostgrestResponse#as(Class)} for the mapping.
   *
   * @throws NotFoundException if no row matched
   * @throws InvalidRequestException if several rows matched
   * @throws dev.holdfast.SchemaMismatchException if the row does not map to {@code type}
   */
  public <T> T single(Class<T> type) {
    Objects.requireNonNull(type, "type");
    ObjectNode row = single();
    return client.convert(row, type);
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

  /** {@link #maybeSingle()} as a value of {@code type}; see {@link PostgrestResponse#as(Class)}. */
  public <T> Optional<T> maybeSingle(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return maybeSingle().map(row -> client.convert(row, type));
  }

  /** Makes an update or delete refuse to go out without a filter parameter: for the backend's safety net. */
  PostgrestRequest requireFilter() {
    this.requireFilter = true;
    return this;
  }

  private PostgrestResponse executeChunks(List<QueryParam> filterParams) {
    ArrayNode all = client.mapper().createArrayNode();
    int status = 0;
    Expectation expectation = expectation();
    for (int i = 0; i < body.size(); i += chunkSize) {
      ArrayNode chunk = client.mapper().createArrayNode();
      for (int j = i; j < Math.min(body.size(), i + chunkSize); j++) {
        chunk.add(body.get(j));
      }
      PostgrestResponse part;
      try {
        part = client.send(spec(filterParams, chunk), expectation);
      } catch (TransientException e) {
        if (i == 0 || kind != Kind.INSERT || e.requestSent()) {
          throw e;
        }
        // This chunk never ran, but the earlier ones did: sending the whole insert again would repeat them.
        throw new TransientException(e.reason() + " after " + i + " of " + body.size() + " rows were inserted "
            + "by earlier chunks", e.details(), e, true, e.retryAfter().orElse(null));
      }
      status = Math.max(status, part.status());
      if (part.body().isArray()) {
        all.addAll((ArrayNode) part.body());
      }
    }
    JsonNode merged = returning == Returning.REPRESENTATION ? all : MissingNode.getInstance();
    return PostgrestResponse.none(status, merged, OptionalLong.empty(), client.mapper());
  }

  private Optional<List<QueryParam>> encodedFilters() {
    boolean anyFilter = !filters.isEmpty() || !rawFilters.isEmpty() || !reservedIsItems.isEmpty();
    if ((kind == Kind.INSERT || kind == Kind.UPSERT) && anyFilter) {
      throw new IllegalStateException("filters do not apply to an insert or upsert");
    }
    Filter all = filters.isEmpty() ? Filter.all() : filters.size() == 1 ? filters.get(0) : new Filter.And(filters);
    Optional<List<QueryParam>> typed = FilterEncoder.encode(all);
    if (typed.isEmpty()) {
      if (kind == Kind.RPC) {
        // A function call has effects of its own, so it is never skipped.
        throw new InvalidRequestException("The filter on rpc/" + path.get(1) + " can match no row",
            ErrorDetails.of("postgrest"), null);
      }
      return typed;
    }
    List<QueryParam> params = typed.get();
    params.addAll(rawFilters);
    if (!reservedIsItems.isEmpty()) {
      params.add(new QueryParam("and", "(" + String.join(",", reservedIsItems) + ")"));
    }
    Requests.requireFilterParameters(params);
    if (requireFilter && params.isEmpty() && (kind == Kind.UPDATE || kind == Kind.DELETE)) {
      throw new InvalidRequestException("Refusing to send " + method + " /" + path.get(0) + " without a filter",
          ErrorDetails.of("postgrest"), null);
    }
    return Optional.of(params);
  }

  private HttpSpec spec(List<QueryParam> filterParams, JsonNode payload) {
    Requests.Options o = new Requests.Options(method, kind == Kind.RPC, kind == Kind.INSERT || kind
        == Kind.UPSERT, kind == Kind.UPSERT, select, filterParams, orderTerms.isEmpty() ? null
        : String.join(",", orderTerms), embeddedParams(), limit, offset, rangeFrom, rangeTo,
        count == null ? null : count.preference(), returning == null ? null : returning.preference(), onConflict,
        ignoreDuplicates, accept(), prefer, headers, schema, timeout);
    return Requests.spec(o, path, payload, client.mapper());
  }

  private List<QueryParam> embeddedParams() {
    if (embedded.isEmpty()) {
      return List.of();
    }
    List<QueryParam> out = new ArrayList<>(embedded.size());
    embedded.forEach((k, v) -> out.add(new QueryParam(k, v)));
    return out;
  }

  private Expectation expectation() {
    boolean text = media.isText(explain == Explain.Format.TEXT, explain != null);
    boolean tableRead = kind == Kind.READ && method.equals("GET") && !text;
    return new Expectation(method, path, tableRead, text, effect() == Effect.WRITE);
  }

  private String accept() {
    List<String> options = new ArrayList<>(explainOptions.size());
    explainOptions.forEach(o -> options.add(o.token()));
    return media.accept(single, stripNulls, explain == null ? null : explain.mediaType(), options);
  }

  private void addPrefer(String token) {
    if (!prefer.contains(token)) {
      prefer = add(prefer, token);
    }
  }

  /** {@code list} with {@code item} added: {@code list} itself once it is mutable. */
  private static <T> List<T> add(List<T> list, T item) {
    List<T> out = list instanceof ArrayList ? list : new ArrayList<>(list);
    out.add(item);
    return out;
  }

  private static <K, V> Map<K, V> mutable(Map<K, V> map) {
    return map instanceof LinkedHashMap ? map : new LinkedHashMap<>(map);
  }

  private void requireMedia(String option) {
    if (media != Media.JSON || stripNulls) {
      throw new IllegalStateException(option + " does not combine with " + (stripNulls ? "stripNulls()"
          : media.name().toLowerCase(java.util.Locale.ROOT) + "()"));
    }
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
