package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Identifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockWebServer;

/**
 * A PostgREST look-alike over HTTP, serving an {@link InMemoryDatabase}: a real MockWebServer whose dispatcher
 * reads PostgREST's query syntax (select with renames, filters, {@code in} lists, {@code or}/{@code and}/{@code not}
 * trees, order with nulls first/last, limit/offset and {@code Range}, {@code Prefer} count/return/resolution/missing,
 * {@code on_conflict}, {@code columns}, single-object {@code Accept}) and answers in PostgREST's wire format,
 * errors included ({@code 404 PGRST205} for an unknown table, {@code 409 23505} for a duplicate key, ...).
 * Functions for {@code /rpc/...} are registered as lambdas. Thread-safe; close it to stop the server.
 *
 * <pre>{@code
 * InMemoryDatabase db = new InMemoryDatabase();
 * db.createTable("public", "tasks", "id", true);
 * try (MockPostgrest postgrest = MockPostgrest.start(db)) {
 *   postgrest.function("add", args -> IntNode.valueOf(args.get("a").asInt() + args.get("b").asInt()));
 *   PostgrestClient client = PostgrestClient.builder(postgrest.url()).apiKey("anon").build();
 * }
 * }</pre>
 *
 * <p>Not emulated: embedded resources, JSON paths and casts in select or filters, full-text and array/range
 * operators (these answer {@code 400 PGRST100}).
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
  private final Map<String, Function> functions = new ConcurrentHashMap<>();

  private MockPostgrest(InMemoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
    this.server = new MockWebServer();
    server.setServerSocketFactory(new MockPostgrestSockets());
    server.setDispatcher(new MockPostgrestDispatcher(database, functions));
  }

  /**
   * Starts a server on a free local port serving {@code database}.
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public static MockPostgrest start(InMemoryDatabase database) {
    MockPostgrest postgrest = new MockPostgrest(database);
    try {
      postgrest.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("MockPostgrest could not start", e);
    }
    return postgrest;
  }

  /** The base URL, like Supabase's {@code https://<ref>.supabase.co/rest/v1}: {@code http://localhost:<port>/rest/v1}. */
  public String url() {
    return server.url("/rest/v1").toString();
  }

  /** The database served. */
  public InMemoryDatabase database() {
    return database;
  }

  /** Serves {@code function} at {@code /rpc/<name>}, replacing any earlier one. */
  public MockPostgrest function(String name, Function function) {
    functions.put(Identifier.require(name, "function"), Objects.requireNonNull(function, "function"));
    return this;
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
}
