package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.ConfigurationException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Real PgBouncer 1.18 in transaction mode with two server connections, in front of a database of its own on the
 * embedded server.
 */
class TransactionPoolingTest {
  record Event(Long id, String name, int n) {}

  static final Table<Event, Long> EVENTS = Table.builder("events", Event.class, Long.class).build();
  static final int THREADS = 6;

  static TestDatabase database;
  static PgBouncer bouncer;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    bouncer = PgBouncer.start(database, PgBouncer.PoolMode.TRANSACTION, 2);
  }

  @AfterAll
  static void stop() {
    if (bouncer != null) {
      bouncer.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void freshTable() {
    database.execute("DROP TABLE IF EXISTS events",
        "CREATE TABLE events (id bigserial PRIMARY KEY, name text NOT NULL, n int NOT NULL)");
  }

  @Test
  void plainPgjdbcWithDefaultSettingsFailsUnderConcurrentLoad() throws Exception {
    Set<String> states = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl());
              PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE n > ?")) {
            for (int i = 0; i < 60; i++) {
              try {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                }
              } catch (SQLException e) {
                errors.add(e.getSQLState() + " " + e.getMessage());
                states.add(String.valueOf(e.getSQLState()));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(errors).as("pgjdbc's server-side prepared statements through a transaction pooler").isNotEmpty();
    assertThat(states).containsAnyOf("42P05", "26000").isSubsetOf("42P05", "26000", "08P01");
    // 08P01 also happens when a Bind reaches a server connection whose statement of that name differs.
    assertThat(errors).filteredOn(e -> e.startsWith("08P01"))
        .allSatisfy(e -> assertThat(e).containsAnyOf("prepared statement", "bind message"));
  }

  @Test
  void holdfastHasNoErrorsUnderTheSameLoadAndKeepsEveryAcknowledgedWriteOnce() throws Exception {
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(bouncer.uri()).maximumPoolSize(8).build()).build()) {
      Repository<Event, Long> events = db.repository(EVENTS);
      JdbcTransactions transactions = JdbcTransactions.of(db);
      ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
      int opsPerThread = 200;
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < opsPerThread; i++) {
              String name = "t" + thread + "-" + i;
              try {
                switch (i % 4) {
                  case 0 -> {
                    events.insert(new Event(null, name, i));
                    acknowledged.add(name);
                  }
                  case 1 -> {
                    List<Event> batch = IntStream.range(0, 5).mapToObj(k -> new Event(null, name + "-" + k, k))
                        .toList();
                    events.insertAll(batch);
                    batch.forEach(e -> acknowledged.add(e.name()));
                  }
                  case 2 -> {
                    transactions.inTransaction("insertTwo", tx -> {
                      tx.update("INSERT INTO events (name, n) VALUES (?, ?)", name + "-a", 1);
                      tx.update("INSERT INTO events (name, n) VALUES (?, ?)", name + "-b", 2);
                      return tx.query("SELECT count(*) AS c FROM events WHERE name LIKE ?", name + "-%");
                    });
                    acknowledged.add(name + "-a");
                    acknowledged.add(name + "-b");
                  }
                  default -> {
                    events.find(Query.where(Filter.gt("n", i % 7)).limit(20));
                    events.count(Filter.startsWith("name", "t" + thread));
                  }
                }
                completed.incrementAndGet();
              } catch (Throwable e) {
                failures.add(e);
              }
            }
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failures).isEmpty();
      assertThat(completed.get()).isEqualTo(THREADS * opsPerThread).isGreaterThanOrEqualTo(1_000);
      Map<String, Long> stored = new java.util.HashMap<>();
      try (Connection c = database.dataSource().getConnection();
          ResultSet rs = c.createStatement().executeQuery("SELECT name, count(*) FROM events GROUP BY name")) {
        while (rs.next()) {
          stored.put(rs.getString(1), rs.getLong(2));
        }
      }
      assertThat(stored).hasSize(acknowledged.size());
      assertThat(stored.values()).containsOnly(1L);
      assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
    }
  }

  @Test
  void selfTestReportsTheDefaultPgjdbcPathAsUnsafeAndHoldfastsPoolAsSafe() {
    PGSimpleDataSource plain = new PGSimpleDataSource();
    plain.setUrl(bouncer.jdbcUrl());
    PoolerSafetyCheck.Result unsafe = PoolerSafetyCheck.run(plain, Duration.ofSeconds(5));
    assertThat(unsafe.safe()).isFalse();
    assertThat(unsafe.sqlStates()).containsAnyOf("42P05", "26000");
    assertThat(unsafe.advice()).contains("prepareThreshold=0");

    try (JdbcBackend backend = JdbcBackend.fromUrl(bouncer.uri())) {
      PoolerSafetyCheck.Result safe = backend.checkPoolerSafety(Duration.ofSeconds(5));
      assertThat(safe.safe()).isTrue();
      assertThat(safe.runs()).isGreaterThan(10);
    }
  }

  @Test
  void aStatementPastItsAttemptTimeoutIsCancelledThroughThePooler() throws Exception {
    dev.holdfast.ResiliencePolicy quick = dev.holdfast.ResiliencePolicy.builder().maxAttempts(1)
        .attemptTimeout(Duration.ofMillis(300)).withoutCircuitBreaker().withoutRetryBudget().build();
    try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(bouncer.uri())).policy(quick).build()) {
      assertThatThrownBy(() -> JdbcTransactions.of(db).inTransaction(tx -> tx.query("SELECT pg_sleep(7)")))
          .isInstanceOf(dev.holdfast.HoldfastException.class);
      // The pooler's server connection is free again: the next call gets an answer.
      assertThat(db.repository(EVENTS).count(Filter.all())).isZero();
    }
    try (Connection c = database.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(7)' AND state = 'active' AND pid <> pg_backend_pid()")) {
      rs.next();
      assertThat(rs.getLong(1)).as("the server cancelled the statement").isZero();
    }
  }

  @Test
  void wrappingADataSourceDeclaredBehindAPoolerWithPreparedStatementsOnFailsFast() {
    PGSimpleDataSource plain = new PGSimpleDataSource();
    plain.setUrl(bouncer.jdbcUrl());
    assertThatThrownBy(() -> JdbcBackend.builder(plain).transactionPooler(true).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("prepareThreshold=5")
        .satisfies(e -> assertThat(((ConfigurationException) e).hint()).contains("prepareThreshold=0"));

    PGSimpleDataSource safe = new PGSimpleDataSource();
    safe.setUrl(bouncer.jdbcUrl());
    safe.setPrepareThreshold(0);
    try (JdbcBackend backend = JdbcBackend.builder(safe).transactionPooler(true).build();
        Holdfast db = Holdfast.builder(backend).build()) {
      assertThat(db.repository(EVENTS).count(Filter.all())).isZero();
    }
  }
}
