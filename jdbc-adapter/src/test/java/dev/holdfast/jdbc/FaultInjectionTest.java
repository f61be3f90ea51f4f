package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Backoff;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into real PostgreSQL in the middle of a load: backends killed with pg_terminate_backend, and
 * the server stopped and started again. Reads and idempotent writes must succeed; every acknowledged insert must
 * be stored exactly once; an insert whose outcome is unknown must say so and be stored at most once.
 */
class FaultInjectionTest {
  record Row(Long id, String name, int v) {}

  static final Table<Row, Long> ROWS = Table.builder("fault_rows", Row.class, Long.class).build();
  static final ResiliencePolicy PATIENT = ResiliencePolicy.builder().maxAttempts(60)
      .backoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(300)))
      .deadline(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(3))
      .withoutCircuitBreaker().withoutRetryBudget().build();
  static final String DDL = "CREATE TABLE IF NOT EXISTS fault_rows (id bigserial PRIMARY KEY, name text NOT NULL, "
      + "v int NOT NULL)";

  /** How many times its minimum a load may run while it waits for its fault to happen. */
  static final int MAX_LOAD_FACTOR = 40;

  /** What the load saw. */
  static final class Outcomes {
    final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unknown = new ConcurrentLinkedQueue<>();
    final Map<Long, Integer> upserted = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    final AtomicInteger reads = new AtomicInteger();
  }

  /** A database of its own on the shared embedded server, for the tests that kill backends. */
  static TestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = TestPostgres.createDatabase();
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void killedConnectionsLoseNothingAndWriteNothingTwice() throws Exception {
    loadWhileKillingBackends(database.uri());
  }

  @Test
  void serverConnectionsKilledBehindPgBouncerLoseNothingAndWriteNothingTwice() throws Exception {
    try (PgBouncer bouncer = PgBouncer.start(database, PgBouncer.PoolMode.TRANSACTION, 2)) {
      loadWhileKillingBackends(bouncer.uri());
    }
  }

  private static void loadWhileKillingBackends(String uri) throws Exception {
    database.execute("DROP TABLE IF EXISTS fault_rows", DDL);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger kills = new AtomicInteger();
    Thread killer = new Thread(() -> {
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        while (!stop.get()) {
          try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
              + "FROM pg_stat_activity WHERE application_name = 'holdfast-faults'")) {
            rs.next();
            kills.addAndGet(rs.getInt(1));
          }
          Thread.sleep(200);
        }
      } catch (SQLException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Outcomes outcomes;
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(uri).applicationName("holdfast-faults")
        .maximumPoolSize(6).build()).policy(PATIENT).build()) {
      killer.start();
      // The load runs until the killer has ended a few backends: on a fast machine 600 operations can finish
      // before its first pass.
      outcomes = runLoad(db.repository(ROWS), 4, 150, null, () -> kills.get() >= 3);
    } finally {
      stop.set(true);
      killer.join(5_000);
    }
    assertThat(kills.get()).as("backends killed during the load").isPositive();
    verify(outcomes, database.dataSource());
  }

  @Test
  void aRestartOfPostgresqlLosesNothingAndWritesNothingTwice() throws Exception {
    loadThroughARestart(false);
  }

  @Test
  void aRestartBehindPgBouncerLosesNothingAndWritesNothingTwice() throws Exception {
    loadThroughARestart(true);
  }

  @SuppressWarnings("try") // closeLater is there only to be closed
  private static void loadThroughARestart(boolean throughPgBouncer) throws Exception {
    Path data = Files.createTempDirectory("holdfast-restart");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres pg = start(data, port);
    try {
      exec(pg.getPostgresDatabase(), "DROP TABLE IF EXISTS fault_rows", DDL);
      Outcomes outcomes;
      // Addressed by port, so it (and PgBouncer in front of it) stays valid when the server is started again.
      TestDatabase restartable = TestDatabase.existing(port, "postgres", "postgres");
      // After a failed server login PgBouncer waits server_login_retry (default 15 s) before trying again; 1 s,
      // so that the load recovers within seconds of the restart.
      PgBouncer bouncer = throughPgBouncer
          ? PgBouncer.start(restartable, PgBouncer.PoolMode.TRANSACTION, 2, Duration.ofSeconds(1)) : null;
      String uri = bouncer != null ? bouncer.uri() : restartable.uri();
      try (PgBouncer closeLater = bouncer;
          Holdfast db = Holdfast.builder(JdbcBackend.builder(uri)
          .connectionTimeout(Duration.ofMillis(500)).maximumPoolSize(6).build()).policy(PATIENT).build()) {
        AtomicBoolean restarted = new AtomicBoolean();
        EmbeddedPostgres[] holder = {pg};
        Runnable restart = () -> {
          try {
            holder[0].close();
            Thread.sleep(300);
            holder[0] = start(data, port);
            restarted.set(true);
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
        outcomes = runLoad(db.repository(ROWS), 4, 120, restart, restarted::get);
        pg = holder[0];
        assertThat(restarted).isTrue();
      }
      verify(outcomes, pg.getPostgresDatabase());
    } finally {
      pg.close();
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  /**
   * Runs inserts (non-idempotent), upserts (idempotent) and reads on {@code threads} threads; {@code fault}, when
   * given, runs on its own thread once a third of the load is done. Each thread runs at least {@code opsPerThread}
   * operations and goes on until {@code faultSeen} says the fault happened (at most {@link #MAX_LOAD_FACTOR} times
   * as many), so that the faults always land inside the load however fast the machine is.
   */
  private static Outcomes runLoad(Repository<Row, Long> rows, int threads, int opsPerThread, Runnable fault,
      java.util.function.BooleanSupplier faultSeen) throws Exception {
    Outcomes out = new Outcomes();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      if (fault != null) {
        futures.add(pool.submit(() -> {
          while (done.get() < threads * opsPerThread / 3) {
            Thread.sleep(5);
          }
          fault.run();
          return null;
        }));
      }
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          int most = opsPerThread * MAX_LOAD_FACTOR;
          for (int i = 0; i < most && (i < opsPerThread || !faultSeen.getAsBoolean()); i++, done.incrementAndGet()) {
            String name = "t" + thread + "-" + i;
            try {
              switch (i % 3) {
                case 0 -> {
                  try {
                    rows.insert(new Row(null, name, i));
                    out.acknowledged.add(name);
                  } catch (UnknownOutcomeException e) {
                    out.unknown.add(name);
                  }
                }
                case 1 -> {
                  long id = 1_000_000L + thread * 10_000L + i % 30;
                  rows.upsert(new Row(id, "upsert", i));
                  out.upserted.put(id, i);
                }
                default -> {
                  rows.findById(1_000_000L + thread * 10_000L);
                  out.reads.incrementAndGet();
                }
              }
            } catch (Throwable e) {
              out.failures.add(e);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static void verify(Outcomes outcomes, DataSource ds) throws SQLException {
    assertThat(outcomes.failures).as("failures of reads and idempotent writes, or non-retryable errors").isEmpty();
    Map<String, Long> byName = new HashMap<>();
    Map<Long, Integer> values = new HashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT name, count(*) FROM fault_rows WHERE name <> 'upsert' GROUP BY name")) {
        while (rs.next()) {
          byName.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM fault_rows WHERE name = 'upsert'")) {
        while (rs.next()) {
          values.put(rs.getLong(1), rs.getInt(2));
        }
      }
    }
    assertThat(outcomes.acknowledged).isNotEmpty();
    assertThat(byName.values()).as("nothing written twice").allMatch(n -> n == 1);
    for (String name : outcomes.acknowledged) {
      assertThat(byName).as("acknowledged insert " + name).containsEntry(name, 1L);
    }
    assertThat(byName.keySet()).as("only inserts that were acknowledged or reported as unknown")
        .allMatch(n -> outcomes.acknowledged.contains(n) || outcomes.unknown.contains(n));
    assertThat(values).isEqualTo(outcomes.upserted);
    assertThat(outcomes.reads.get()).isPositive();
  }

  private static void exec(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String one : sql) {
        s.execute(one);
      }
    }
  }
}
