package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Identifier;
import dev.holdfast.Table;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.internal.SeedRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockWebServer;

/**
 * A PostgREST 13 look-alike over HTTP, serving an {@link InMemoryDatabase}: a real MockWebServer that reads
 * requests with PostgREST's own grammar (its PGRST100 errors included, byte for byte) and answers as PostgREST
 * over PostgreSQL 15 does: {@code json_agg} bodies, {@code Content-Range}/206/416, {@code Preference-Applied},
 * singular {@code Accept} with rollback, PUT upserts, embedding along the foreign keys of typed
 * {@link TableSpec}s, functions with declared parameters ({@link MockPostgrestFunction}) and raised errors
 * ({@link MockPostgrestRaise}), a schema cache kept apart from the data ({@link #reloadSchema()}), and, with a
 * JWT secret, roles with grants and row-level security ({@link RowPolicy}). What it does not emulate it answers
 * with {@code 400 PGRST127 Feature not implemented}, never silently otherwise; the testkit README lists both.
 * {@link #faults()} scripts failures (PostgREST's 503/504, Cloudflare's 52x pages, resets, stalls) and
 * {@link #journal()} records every request, so a test can assert attempts, headers and bodies. Thread-safe
 * (requests run one at a time against the database); close it to stop the server. In JUnit 5,
 * {@link MockPostgrestExtension} injects a fresh one per test.
 *
 * <pre>{@code
 * record Task(long id, String title, boolean done) {}
 *
 * try (MockPostgrest postgrest = MockPostgrest.start()) {
 *   postgrest.seed("tasks", List.of(new Task(1, "write", false), new Task(2, "test", true)));
 *   postgrest.function("add", args -> IntNode.valueOf(args.get("a").asInt() + args.get("b").asInt()));
 *   postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));
 *   PostgrestClient client = PostgrestClient.builder(postgrest.url()).apiKey("anon").build();
 *   // ... the first two requests get 503 PGRST002, the third is served
 *   assertThat(postgrest.journal()).extracting(MockPostgrestCall::fault)
 *       .containsExactly("503 PGRST002", "503 PGRST002", null);
 * }
 * }</pre>
 */
public final class MockPostgrest implements AutoCloseable {
  /** A database function served at {@code /rpc/<name>}. Implementations are thread-safe. */
  @FunctionalInterface
  public interface Function {
    /**
     * The function's result for its named arguments (from the JSON body, or the query for GET).
     *
     * @throws dev.holdfast.HoldfastException to answer with its code and the matching PostgREST status
     */
    JsonNode call(ObjectNode args);
  }

  private final MockWebServer server;
  private final InMemoryDatabase database;
  private final MockPostgrestOptions options;
  private final Map<String, List<MockPostgrestFunction>> functions = new ConcurrentHashMap<>();
  private final MockPostgrestFaults faults = new MockPostgrestFaults();
  private final MockPostgrestFront front;
  private final MockPostgrestHandler handler;
  private final Object cacheLock = new Object();
  private volatile MockPostgrestSchema cache;
  private long functionsVersion;
  private long cachedFunctionsVersion = -1;

  private MockPostgrest(InMemoryDatabase database, MockPostgrestOptions options) {
    this.database = Objects.requireNonNull(database, "database");
    this.options = options;
    this.server = new MockWebServer();
    this.handler = new MockPostgrestHandler(database, options, this::schemaCache);
    this.front = new MockPostgrestFront(new MockPostgrestDispatcher(handler), faults);
    server.setServerSocketFactory(new NoDelayServerSockets());
    server.setDispatcher(front);
  }

  /**
   * Starts a server on a free local port serving a new, empty database, configured as PostgREST's defaults are
   * (schema {@code public}, roles off, the schema cache following the database).
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public static MockPostgrest start() {
    return start(new InMemoryDatabase());
  }

  /**
   * Starts a server on a free local port serving {@code database}.
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public static MockPostgrest start(InMemoryDatabase database) {
    return builder().database(database).start();
  }

  /** A builder for a configured server: roles and JWTs, exposed schemas, a manual schema cache, ... */
  public static Builder builder() {
    return new Builder();
  }

  private static MockPostgrest start(InMemoryDatabase database, MockPostgrestOptions options) {
    MockPostgrest postgrest = new MockPostgrest(database, options);
    postgrest.reloadSchema();
    try {
      postgrest.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("MockPostgrest could not start", e);
    }
    return postgrest;
  }

  /**
   * Reloads the schema cache from the database and the registered functions, as {@code NOTIFY pgrst, 'reload
   * schema'} does. Needed only when the builder turned {@link Builder#autoReloadSchema} off: then a table
   * created after the last reload answers {@code 404 PGRST205} and a dropped one {@code 404 42P01} until this
   * is called.
   */
  public void reloadSchema() {
    synchronized (cacheLock) {
      cache = MockPostgrestSchema.load(database.schemaVersion(), database.specs(), functions);
      cachedFunctionsVersion = functionsVersion;
    }
  }

  private MockPostgrestSchema schemaCache() {
    MockPostgrestSchema c = cache;
    if (options.autoReloadSchema()) {
      synchronized (cacheLock) {
        if (c == null || c.version != database.schemaVersion() || cachedFunctionsVersion != functionsVersion) {
          reloadSchema();
          c = cache;
        }
      }
    }
    return c;
  }

  /**
   * An HS256 JWT with {@code claims}, signed with the server's secret, for {@code Authorization: Bearer}:
   * {@code postgrest.jwt(Map.of("role", "authenticated", "sub", "user-1"))}.
   *
   * @throws IllegalStateException if the server was built without {@link Builder#jwtSecret}
   */
  public String jwt(Map<String, ?> claims) {
    Objects.requireNonNull(claims, "claims");
    if (handler.auth() == null) {
      throw new IllegalStateException("MockPostgrest runs without roles; build it with jwtSecret(...) to use JWTs");
    }
    return handler.auth().sign(claims);
  }

  /** The base URL, like Supabase's {@code https://<ref>.supabase.co/rest/v1}: {@code http://localhost:<port>/rest/v1}. */
  public String url() {
    return server.url("/rest/v1").toString();
  }

  /** The database served. */
  public InMemoryDatabase database() {
    return database;
  }

  /**
   * Serves {@code function} at {@code /rpc/<name>}, replacing any earlier function of that name. It takes any
   * arguments (they reach it as given: JSON from a POST, text from a GET) and answers what it returns as
   * {@code json}; declare its parameters and return type with {@link #function(MockPostgrestFunction)} to get
   * PostgREST's argument matching.
   */
  public MockPostgrest function(String name, Function function) {
    Identifier.require(name, "function");
    Objects.requireNonNull(function, "function");
    synchronized (cacheLock) {
      functions.put("public." + name, List.of(MockPostgrestFunction.untyped(name, function)));
      functionsVersion++;
    }
    return this;
  }

  /**
   * Serves {@code function} at {@code /rpc/<name>} in its schema, as one more overload of that name (replacing
   * an earlier one with the same parameter names).
   */
  public MockPostgrest function(MockPostgrestFunction function) {
    Objects.requireNonNull(function, "function");
    synchronized (cacheLock) {
      String key = function.schema() + "." + function.name();
      List<MockPostgrestFunction> overloads = new java.util.ArrayList<>(functions.getOrDefault(key, List.of()));
      overloads.removeIf(f -> f.acceptsAnyArguments() || f.params().stream().map(MockPostgrestFunction.Param::name)
          .toList().equals(function.params().stream().map(MockPostgrestFunction.Param::name).toList()));
      overloads.add(function);
      functions.put(key, List.copyOf(overloads));
      functionsVersion++;
    }
    return this;
  }

  /**
   * Inserts {@code rows} (records, maps with string keys, or Jackson {@code ObjectNode}s) into
   * {@code public.<table>}, creating the table first if needed (id column {@code id}, generated when missing, any
   * other columns). Record components and map keys are the column names as written; values are stored as
   * holdfast sends them ({@code java.time} as ISO-8601, enums by name). Like a data load followed by
   * {@code setval}, explicit ids move the identity past them, so later inserts without an id do not collide.
   *
   * @throws dev.holdfast.ConflictException if a row breaks a key or constraint; then nothing is inserted
   * @throws dev.holdfast.InvalidRequestException if a row is not a record, map or JSON object
   */
  public MockPostgrest seed(String table, Collection<?> rows) {
    Objects.requireNonNull(rows, "rows");
    return insert(ref("public", table, "id"), SeedRows.fromObjects(rows));
  }

  /**
   * Inserts {@code rows} into {@code table}'s schema and name, converting them with the table's mapper (so column
   * names follow its naming, {@code createdAt} to {@code created_at} by default); creates the table if needed.
   *
   * @throws dev.holdfast.ConflictException if a row breaks a key or constraint; then nothing is inserted
   */
  public <T> MockPostgrest seed(Table<T, ?> table, Collection<? extends T> rows) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(rows, "rows");
    List<ObjectNode> json = rows.stream().map(r -> (ObjectNode) table.mapper().valueToTree(r)).toList();
    TableRef ref = ref(table.schema(), table.name(), table.idColumn());
    if (!ref.idColumn().equals(table.idColumn())) {
      throw new IllegalStateException("Table " + table.schema() + "." + table.name() + " exists with the id column "
          + ref.idColumn() + ", not " + table.idColumn());
    }
    return insert(ref, json);
  }

  /**
   * Creates {@code public.<name>} as holdfast's {@code KeyValueStore} expects it ({@code key text primary key,
   * value jsonb not null, updated_at timestamptz not null default now()}), so that
   * {@code holdfast.keyValueStore(name)} and {@code safeKeyValueStore(name)} work against this server.
   *
   * <pre>{@code
   * postgrest.createKeyValueTable("settings");
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code name} is not a valid identifier
   * @throws IllegalStateException if the table exists
   */
  public MockPostgrest createKeyValueTable(String name) {
    Identifier.require(name, "name");
    database.createKeyValueTable("public", name);
    return this;
  }

  /**
   * Inserts the rows of a JSON array of objects (or one object) into {@code public.<table>}, creating the table
   * if needed as {@link #seed(String, Collection)} does.
   *
   * @throws dev.holdfast.InvalidRequestException if the text is not JSON objects
   */
  public MockPostgrest seedJson(String table, String json) {
    Objects.requireNonNull(json, "json");
    return insert(ref("public", table, "id"), SeedRows.fromJson(json));
  }

  private TableRef ref(String schema, String table, String idColumn) {
    Identifier.require(table, "table");
    synchronized (database) {
      if (!database.hasTable(schema, table)) {
        database.createTable(TableSpec.builder(schema, table).id(idColumn, true).build());
      }
    }
    String id = database.spec(schema, table).orElseThrow().idColumn();
    return new TableRef(schema, table, id, List.of());
  }

  private MockPostgrest insert(TableRef ref, List<ObjectNode> rows) {
    long lastId = 0;
    for (ObjectNode row : rows) {
      JsonNode id = row.get(ref.idColumn());
      if (id != null && id.isIntegralNumber() && id.canConvertToLong()) {
        lastId = Math.max(lastId, id.asLong());
      }
    }
    // Before the insert, so that rows without an id in this batch get ids after the explicit ones.
    database.advanceIdentity(ref.schema(), ref.name(), lastId);
    if (!rows.isEmpty()) {
      database.insert(ref, rows);
    }
    return this;
  }

  /** The fault script: failures this server answers some requests with, until they run out or are cleared. */
  public MockPostgrestFaults faults() {
    return faults;
  }

  /** Every request received so far, in order of arrival, with the fault that answered it, if any. */
  public List<MockPostgrestCall> journal() {
    return front.journal();
  }

  /** The requests received so far with this method (any case) and path under the base URL, such as {@code /tasks}. */
  public List<MockPostgrestCall> journal(String method, String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return journal().stream().filter(c -> c.method().equalsIgnoreCase(method) && c.path().equals(p)).toList();
  }

  /** Forgets the requests received so far; the next one is number 1. */
  public void clearJournal() {
    front.clearJournal();
  }

  /** How many requests the server has received. */
  public int requestCount() {
    return server.getRequestCount();
  }

  /** Stops the server. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "MockPostgrest{" + url() + ", " + database + "}";
  }

  /**
   * Builds a {@link MockPostgrest}. Defaults are PostgREST's: schema {@code public}, anonymous role {@code anon},
   * no JWT secret (roles off: every request runs as the table owner), no {@code db-max-rows}, aggregates off,
   * {@code Prefer: tx} not honoured; and the schema cache follows the database, as Supabase's event trigger does.
   * Not thread-safe.
   */
  public static final class Builder {
    private InMemoryDatabase database;
    private List<String> schemas = List.of("public");
    private String anonRole = "anon";
    private String jwtSecret;
    private boolean autoReloadSchema = true;
    private boolean safeUpdate;
    private boolean allowTxOverride;
    private Long maxRows;
    private boolean aggregates;
    private final java.util.Set<String> roles = new java.util.LinkedHashSet<>(List.of("anon", "authenticated",
        "service_role"));
    private final java.util.Set<String> bypassRls = new java.util.LinkedHashSet<>(List.of("service_role"));
    private java.time.Clock clock = java.time.Clock.systemUTC();

    private Builder() {}

    /** The database served; default a new, empty one. */
    public Builder database(InMemoryDatabase database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /** The exposed schemas ({@code db-schemas}); the first is the default. */
    public Builder schemas(String... schemas) {
      if (schemas.length == 0) {
        throw new IllegalArgumentException("at least one schema");
      }
      for (String s : schemas) {
        Identifier.require(s, "schema");
      }
      this.schemas = List.of(schemas);
      return this;
    }

    /**
     * Turns roles on: requests carry an HS256 JWT signed with {@code secret} (see {@link MockPostgrest#jwt}) or
     * run as the anonymous role; table grants and row-level security apply; bad tokens answer {@code 401
     * PGRST301}/{@code PGRST303}.
     */
    public Builder jwtSecret(String secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length() < 32) {
        throw new IllegalArgumentException("PostgREST requires a JWT secret of at least 32 characters");
      }
      this.jwtSecret = secret;
      return this;
    }

    /** The role of requests without a token ({@code db-anon-role}); default {@code anon}. */
    public Builder anonRole(String role) {
      this.anonRole = Identifier.require(role, "role");
      roles.add(role);
      return this;
    }

    /** Adds a database role that tokens may name; {@code bypassRls} gives it {@code BYPASSRLS}. */
    public Builder role(String role, boolean bypassRls) {
      roles.add(Identifier.require(role, "role"));
      if (bypassRls) {
        this.bypassRls.add(role);
      }
      return this;
    }

    /** Whether the schema cache follows the database on its own; false needs {@link #reloadSchema()}. */
    public Builder autoReloadSchema(boolean auto) {
      this.autoReloadSchema = auto;
      return this;
    }

    /** Loads {@code pg-safeupdate}: PATCH and DELETE without a filter fail with {@code 400 21000}. */
    public Builder safeUpdate(boolean safeUpdate) {
      this.safeUpdate = safeUpdate;
      return this;
    }

    /** Honours {@code Prefer: tx=commit|rollback} ({@code db-tx-end = commit-allow-override}). */
    public Builder allowTxOverride(boolean allow) {
      this.allowTxOverride = allow;
      return this;
    }

    /** {@code db-max-rows}: the most rows any read returns (Supabase's default is 1000). */
    public Builder maxRows(long maxRows) {
      if (maxRows < 0) {
        throw new IllegalArgumentException("maxRows must be >= 0");
      }
      this.maxRows = maxRows;
      return this;
    }

    /** The clock JWT {@code exp}/{@code nbf}/{@code iat} are checked against. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts the server on a free local port.
     *
     * @throws UncheckedIOException if the server cannot start
     */
    public MockPostgrest start() {
      MockPostgrestOptions options = new MockPostgrestOptions(schemas, anonRole, jwtSecret, autoReloadSchema,
          safeUpdate, allowTxOverride, maxRows, aggregates, java.util.Set.copyOf(roles),
          java.util.Set.copyOf(bypassRls), clock);
      return MockPostgrest.start(database == null ? new InMemoryDatabase() : database, options);
    }
  }
}
