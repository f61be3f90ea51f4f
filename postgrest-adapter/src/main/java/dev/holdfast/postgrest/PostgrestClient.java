package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Identifier;
import dev.holdfast.Secrets;
import dev.holdfast.postgrest.internal.Answer;
import dev.holdfast.postgrest.internal.BaseUrl;
import dev.holdfast.postgrest.internal.Bodies;
import dev.holdfast.postgrest.internal.Credentials;
import dev.holdfast.postgrest.internal.Expectation;
import dev.holdfast.postgrest.internal.HttpSpec;
import dev.holdfast.postgrest.internal.JavaTime;
import dev.holdfast.postgrest.internal.QueryNames;
import dev.holdfast.postgrest.internal.SentMarker;
import dev.holdfast.postgrest.internal.Transport;
import dev.holdfast.spi.TableMapping;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A PostgREST client: Supabase's REST layer ({@code https://<ref>.supabase.co/rest/v1}) or a self-hosted
 * PostgREST. Requests are built fluently, in the style of postgrest-js, and each {@code execute()} sends one HTTP
 * request (or one per chunk of a chunked insert) and throws holdfast's exception types, so a
 * {@link dev.holdfast.Guard} can retry it. Thread-safe; the request builders it hands out are not.
 *
 * <pre>{@code
 * try (PostgrestClient db = PostgrestClient.builder("https://abc.supabase.co/rest/v1").apiKey(anonKey).build()) {
 *   List<ObjectNode> open = db.from("tasks").select("id,title").eq("done", false)
 *       .order(Order.desc("created_at")).limit(10).execute().rows();
 * }
 * }</pre>
 *
 * <p>{@link #close()} releases the connection pool and dispatcher threads the client created; an
 * {@link OkHttpClient} passed to {@link Builder#okHttpClient} is left running for its owner.
 */
public final class PostgrestClient implements AutoCloseable {
  private final Transport transport;
  private final ObjectMapper mapper;
  private final ObjectReader reader;
  private final String schema;
  private final String shown;

  private PostgrestClient(Builder b, Transport transport) {
    this.transport = transport;
    this.mapper = b.mapper;
    // Duplicate keys would silently lose a value and trailing text would hide a mangled body: both fail.
    this.reader = b.mapper.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY,
        DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.schema = b.schema;
    this.shown = "PostgrestClient{url=" + BaseUrl.display(transport.base()) + ", apiKey=" + Secrets.mask(b.apiKey)
        + ", token=" + (b.tokens == null ? "none" : Secrets.MASK) + ", schema=" + (schema == null ? "default"
        : schema) + ", ownsHttpClient=" + (b.okHttpClient == null) + "}";
  }

  /**
   * A builder for a client of the PostgREST at {@code baseUrl}.
   *
   * @throws NullPointerException if {@code baseUrl} is null
   */
  public static Builder builder(String baseUrl) {
    return new Builder(Objects.requireNonNull(baseUrl, "baseUrl"));
  }

  /**
   * Starts a request on table or view {@code table}.
   *
   * @throws NullPointerException if {@code table} is null
   * @throws dev.holdfast.InvalidRequestException if it is not a valid identifier
   */
  public PostgrestTable from(String table) {
    return new PostgrestTable(this, QueryNames.requireIdentifier(table, "table"));
  }

  /**
   * Starts a call of the SQL function {@code function} with {@code args} as named arguments (a JSON object, or
   * null for none), sent as {@code POST /rpc/function}; call {@link PostgrestRequest#get()} on the result for a
   * read-only function, so it can run on a read replica and be cached.
   *
   * @throws NullPointerException if {@code function} is null
   * @throws dev.holdfast.InvalidRequestException if it is not a valid identifier
   */
  public PostgrestRequest rpc(String function, JsonNode args) {
    QueryNames.requireIdentifier(function, "function");
    JsonNode body = args == null ? mapper.createObjectNode() : args;
    return new PostgrestRequest(this, "POST", List.of("rpc", function), body, PostgrestRequest.Kind.RPC);
  }

  Transport transport() {
    return transport;
  }

  /** Sends {@code spec} and reads the answer as {@code expectation} says. */
  PostgrestResponse send(HttpSpec spec, Expectation expectation) {
    Answer a = transport.execute(spec, (status, headers, body) -> Bodies.read(expectation, reader, status, headers,
        body));
    return new PostgrestResponse(a.status(), a.json(), a.text(), a.count(), a.headers(), mapper);
  }

  /** Sends {@code spec} and reads the rows of its answer straight into {@code mapping}'s records. */
  <T> List<T> sendRecords(HttpSpec spec, Expectation expectation, TableMapping<T> mapping) {
    return transport.execute(spec, (status, headers, body) -> Bodies.readRecords(expectation, reader, mapping,
        status, body));
  }

  /** {@code row} as a {@code type}, keys without a property ignored. */
  <T> T convert(ObjectNode row, Class<T> type) {
    try {
      return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(mapper.treeAsTokens(row));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw PostgrestResponse.mismatch(type, e);
    }
  }

  ObjectMapper mapper() {
    return mapper;
  }

  String schema() {
    return schema;
  }

  /** Releases the connection pool and threads this client created. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  /** The configuration, with the API key and token masked. */
  @Override
  public String toString() {
    return shown;
  }

  /** Builds a {@link PostgrestClient}. Not thread-safe; {@link #build()} copies the configuration. */
  public static final class Builder {
    private final String baseUrl;
    private String apiKey;
    private TokenSupplier tokens;
    private String schema;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(60);
    private boolean timeoutsSet;
    private OkHttpClient okHttpClient;
    private ObjectMapper mapper = defaultMapper();
    private Clock clock = Clock.systemUTC();

    private Builder(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The {@code apikey} header (Supabase's anon or service key); without a token supplier, also the bearer. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** Supplies the bearer JWT for each request, refreshed once when PostgREST reports it expired. */
    public Builder tokenSupplier(TokenSupplier tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * The schema to read and write ({@code Accept-Profile} / {@code Content-Profile}); default: PostgREST's first
     * exposed schema.
     */
    public Builder schema(String schema) {
      this.schema = Identifier.require(schema, "schema");
      return this;
    }

    /**
     * The connect, read, write and whole-call timeouts; defaults 10s, 30s, 30s, 60s. A request's own
     * {@link PostgrestRequest#timeout} replaces the call timeout for that request.
     */
    public Builder timeouts(Duration connect, Duration read, Duration write, Duration call) {
      this.connectTimeout = positive(connect, "connect");
      this.readTimeout = positive(read, "read");
      this.writeTimeout = positive(write, "write");
      this.callTimeout = positive(call, "call");
      this.timeoutsSet = true;
      return this;
    }

    /**
     * Sends through {@code client} (sharing its pool, dispatcher and interceptors) instead of a client of our own;
     * {@link PostgrestClient#close()} then leaves it open. Its timeouts are kept unless {@link #timeouts} is set.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The mapper for request and response bodies; default: a Jackson mapper that reads decimals as
     * {@code BigDecimal} so numeric columns keep every digit.
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /** The clock that dated {@code Retry-After} values are measured against; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The client.
     *
     * @throws dev.holdfast.ConfigurationException if the base URL is malformed (shown with secrets masked)
     */
    public PostgrestClient build() {
      HttpUrl base = BaseUrl.parse(baseUrl);
      Credentials credentials = new Credentials(apiKey, tokens);
      boolean owned = okHttpClient == null;
      OkHttpClient.Builder http = owned ? new OkHttpClient.Builder() : okHttpClient.newBuilder();
      if (owned || timeoutsSet) {
        http.connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(writeTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      // holdfast decides about retries and redirects itself: OkHttp would re-send a write after a connection
      // failure, and carry the apikey header along on a redirect to another host.
      http.retryOnConnectionFailure(false).followRedirects(false).followSslRedirects(false)
          .addNetworkInterceptor(SentMarker.INTERCEPTOR);
      Transport transport = new Transport(http.build(), owned, base, credentials, clock);
      return new PostgrestClient(this, transport);
    }

    /** Numeric columns keep every digit (floats read as BigDecimal); java.time values read from ISO-8601. */
    private static ObjectMapper defaultMapper() {
      ObjectMapper mapper = new ObjectMapper();
      mapper.registerModule(JavaTime.module());
      mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
      mapper.setNodeFactory(new JsonNodeFactory(true));
      return mapper;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " timeout must be positive: " + d);
      }
      return d;
    }
  }

}
