package dev.holdfast.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.holdfast.Changes;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.LastKnownGood;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.SafeResult;
import dev.holdfast.Table;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.testkit.FaultProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The README's "run it" command: holdfast on an embedded PostgreSQL (nothing to install), with a fault proxy in
 * the path so that the database can be "unplugged" and plugged back in. Run it with
 * {@code ./mvnw -q -pl examples -am compile exec:java}.
 */
public final class Quickstart {
  /** A row of the {@code tasks} table; components map to snake_case columns. */
  public record Task(Long id, String title, boolean done, Instant createdAt) {}

  static final Table<Task, Long> TASKS = Table.builder("tasks", Task.class, Long.class).build();

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    DriverLogs.quiet();
    run(System.out);
  }

  /** Runs the story, printing to {@code out}; the examples' smoke test calls this. */
  public static void run(PrintStream out) throws Exception {
    out.println("1. Starting an embedded PostgreSQL (no database to install)...");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        FaultProxy proxy = FaultProxy.start("127.0.0.1", postgres.getPort())) {
      createTasksTable(postgres);
      String url = "postgresql://postgres:postgres@127.0.0.1:" + proxy.port() + "/postgres";
      out.println("   Connecting through a fault proxy: " + url.replace("postgres:postgres@", "postgres:****@"));

      // Short timeouts keep the story quick; the defaults suit a production database.
      JdbcBackend backend = JdbcBackend.builder(url)
          .connectTimeout(Duration.ofSeconds(1)).connectionTimeout(Duration.ofMillis(500)).build();
      backend.createKeyValueTable("public", "settings", Duration.ofSeconds(5));
      CircuitBreakerSettings breaker = new CircuitBreakerSettings(5, 10, Duration.ofSeconds(2), 1);
      ResiliencePolicy policy = ResiliencePolicy.builder().deadline(Duration.ofSeconds(3)).circuitBreaker(breaker)
          .build();
      ResiliencePolicy safePolicy = ResiliencePolicy.safeDefaults().toBuilder()
          .deadline(Duration.ofSeconds(2)).attemptTimeout(Duration.ofSeconds(1)).build();
      try (Holdfast db = Holdfast.builder(backend).policy(policy).safePolicy(safePolicy).build()) {
        crud(db.repository(TASKS), out);
        safeReads(db, proxy, out);
      }
    }
    out.println("Done. Everything holdfast opened is closed.");
  }

  private static void crud(Repository<Task, Long> tasks, PrintStream out) {
    out.println("2. A Repository of a record type: insert, query, update, delete.");
    Task invoice = tasks.insert(new Task(null, "Pay the invoice", false, null));
    tasks.insertAll(List.of(new Task(null, "Write the README", false, null),
        new Task(null, "Call O'Brien; re: \"the DROP TABLE joke\"", false, null)));
    out.println("   inserted 3 tasks; the first got id " + invoice.id());
    tasks.updateById(invoice.id(), Changes.set("done", true));
    List<Task> open = tasks.find(Query.where(Filter.eq("done", false)).orderBy(Order.asc("id")));
    out.println("   open tasks: " + open.stream().map(Task::title).toList());
    out.println("   done tasks: " + tasks.count(Filter.eq("done", true)));
    out.println("   deleted task " + invoice.id() + ": " + tasks.deleteById(invoice.id()));
  }

  private static void safeReads(Holdfast db, FaultProxy proxy, PrintStream out) throws InterruptedException {
    out.println("3. Safe reads: a value, a last-known-good copy, or a default - never an exception.");
    SafeKeyValueStore settings = db.safeKeyValueStore("settings")
        .withLastKnownGood(LastKnownGood.of(1_000, Duration.ofMinutes(5)));
    settings.safeSet("banner", Map.of("text", "Welcome back!"));
    JsonNode fallback = JsonNodeFactory.instance.objectNode().put("text", "(default banner)");
    print(out, "banner with the database up", () -> settings.safeGet("banner", fallback));

    out.println("4. Unplugging the database: new connections refused, open ones reset.");
    proxy.refuseNewConnections();
    proxy.resetAll();
    print(out, "banner while it is down", () -> settings.safeGet("banner", fallback));
    print(out, "a key never read before", () -> settings.safeGet("motd", fallback));

    out.println("5. Plugging it back in. The circuit breaker opened during the outage, so reads are served");
    out.println("   from the copy without touching the database until it lets a trial call through (2 s).");
    proxy.heal();
    print(out, "banner right after", () -> settings.safeGet("banner", fallback));
    Thread.sleep(2_100);
    print(out, "banner 2 s later", () -> settings.safeGet("banner", fallback));
  }

  private static void print(PrintStream out, String what, Supplier<SafeResult<JsonNode>> read) {
    long start = System.nanoTime();
    SafeResult<JsonNode> result = read.get();
    long millis = (System.nanoTime() - start) / 1_000_000;
    String why = result.error().map(e -> ", " + e.getClass().getSimpleName() + " after " + e.attempts()
        + " attempt(s)").orElse("");
    out.printf("   %-28s -> %-18s %5d ms  [%s%s]%n", what, result.value().path("text").asText(), millis,
        result.source(), why);
  }

  private static void createTasksTable(EmbeddedPostgres postgres) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tasks (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
          + " title text NOT NULL, done boolean NOT NULL DEFAULT false,"
          + " created_at timestamptz NOT NULL DEFAULT now())");
    }
  }
}
