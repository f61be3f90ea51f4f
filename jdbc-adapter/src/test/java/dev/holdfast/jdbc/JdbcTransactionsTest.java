package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Backoff;
import dev.holdfast.ConflictException;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcTransactionsTest {
  static final ResiliencePolicy RETRYING = ResiliencePolicy.builder().maxAttempts(4)
      .backoff(Backoff.fixed(Duration.ofMillis(10))).withoutCircuitBreaker().withoutRetryBudget().build();

  static TestDatabase database;

  Holdfast db;
  JdbcTransactions transactions;

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

  @BeforeEach
  void setUp() {
    database.execute("DROP TABLE IF EXISTS ledger", "CREATE TABLE ledger (id bigserial PRIMARY KEY, "
        + "entry text UNIQUE NOT NULL, amount numeric NOT NULL)");
    db = Holdfast.builder(JdbcBackend.fromUrl(database.uri())).policy(RETRYING).build();
    transactions = JdbcTransactions.of(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void aUnitThatSwallowsAFailedStatementIsReportedAsNotCommitted() throws SQLException {
    // pgjdbc's own commit() sends COMMIT, the server answers ROLLBACK, and pgjdbc reports success.
    assertThatThrownBy(() -> transactions.inTransaction("swallow", tx -> {
      tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "kept?", 1);
      try {
        tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "kept?", 2);
      } catch (Exception duplicate) {
        // The unit carries on as if the failure did not matter.
      }
      return null;
    })).isInstanceOf(dev.holdfast.ConfigurationException.class)
        .hasMessageContaining("rolled back, not committed")
        .satisfies(e -> assertThat(((dev.holdfast.ConfigurationException) e).code()).hasValue("25P02"))
        .satisfies(e -> assertThat(((dev.holdfast.ConfigurationException) e).hint()).contains("rethrow it"));
    try (Connection c = database.dataSource().getConnection();
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM ledger")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
    // The connection went back clean: the next unit commits.
    transactions.inTransaction("after", tx -> tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "b", 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"40001", "40P01", "55P03"})
  void reRunsTheWholeUnitWhenTheServerRolledItBack(String sqlState) {
    AtomicInteger runs = new AtomicInteger();
    long count = transactions.inTransaction("retry", tx -> {
      tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "a", 10);
      if (runs.incrementAndGet() == 1) {
        tx.update("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '" + sqlState + "'; END $$");
      }
      return tx.query("SELECT count(*) AS n FROM ledger").get(0).get("n").longValue();
    });
    assertThat(runs).hasValue(2);
    assertThat(count).isEqualTo(1);
  }

  @Test
  void aUnitThatRanPastItsAttemptsTimeRollsBackAndRunsAgainRatherThanCommitLate() throws Exception {
    // The watcher cancels what runs on a connection past its deadline; a cancel delayed on the way would land on
    // a late COMMIT and leave it unknown. An attempt out of time must not send COMMIT at all.
    ResiliencePolicy tight = ResiliencePolicy.builder().maxAttempts(3).attemptTimeout(Duration.ofMillis(300))
        .backoff(Backoff.fixed(Duration.ofMillis(10))).withoutCircuitBreaker().withoutRetryBudget().build();
    try (Holdfast timed = Holdfast.builder(JdbcBackend.fromUrl(database.uri())).policy(tight).build()) {
      AtomicInteger runs = new AtomicInteger();
      JdbcTransactions.of(timed).inTransaction("late", tx -> {
        tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "run " + runs.incrementAndGet(), 1);
        if (runs.get() == 1) {
          Thread.sleep(600);  // past the attempt's 300 ms, idle in the transaction: nothing for a cancel to stop
        }
        return null;
      });

      assertThat(runs).hasValue(2);
    }
    try (Connection c = database.dataSource().getConnection();
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT entry FROM ledger")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("run 2");
      assertThat(rs.next()).as("the late first run committed too").isFalse();
    }
  }

  @Test
  void reRunsTheUnitWhenItsConnectionIsKilledBeforeCommit() {
    AtomicInteger runs = new AtomicInteger();
    transactions.inTransaction(tx -> {
      tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "killed", 1);
      if (runs.incrementAndGet() == 1) {
        tx.query("SELECT pg_terminate_backend(pg_backend_pid())");
      }
      return null;
    });
    assertThat(runs).hasValue(2);
    assertThat(ledgerCount("killed")).isEqualTo(1);
  }

  @Test
  void aConnectionLostWhileCommitIsInFlightIsAnUnknownOutcomeAndNeverReRun() {
    DataSource losesCommitReplies = commitThenLoseTheReply(database.dataSource());
    try (Holdfast wrapped = Holdfast.builder(JdbcBackend.wrap(losesCommitReplies)).policy(RETRYING).build()) {
      AtomicInteger runs = new AtomicInteger();
      assertThatThrownBy(() -> JdbcTransactions.of(wrapped).inTransaction(tx -> {
        runs.incrementAndGet();
        return tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "ambiguous", 5);
      })).isInstanceOf(UnknownOutcomeException.class).hasMessageContaining("COMMIT");
      assertThat(runs).hasValue(1);
      assertThat(ledgerCount("ambiguous")).isEqualTo(1);
    }
  }

  @Test
  void anIdempotentUnitIsRetriedWhenCommitsReplyIsLost() {
    DataSource losesFirstCommitReply = commitThenLoseTheReply(database.dataSource(), 1);
    try (Holdfast wrapped = Holdfast.builder(JdbcBackend.wrap(losesFirstCommitReply)).policy(RETRYING).build()) {
      AtomicInteger runs = new AtomicInteger();
      JdbcTransactions.of(wrapped).inTransaction(dev.holdfast.Call.idempotentWrite("upsertEntry"), tx -> {
        runs.incrementAndGet();
        return tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?) ON CONFLICT (entry) DO UPDATE "
            + "SET amount = EXCLUDED.amount", "idempotent", 7);
      });
      assertThat(runs).hasValue(2);
      assertThat(ledgerCount("idempotent")).isEqualTo(1);
    }
  }

  @Test
  void permanentFailuresAreNotRetried() {
    AtomicInteger runs = new AtomicInteger();
    transactions.inTransaction(tx -> tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "dup", 1));
    assertThatThrownBy(() -> transactions.inTransaction(tx -> {
      runs.incrementAndGet();
      return tx.update("INSERT INTO ledger (entry, amount) VALUES (?, ?)", "dup", 2);
    })).isInstanceOfSatisfying(ConflictException.class,
        e -> assertThat(e.constraint()).contains("ledger_entry_key"));
    assertThat(runs).hasValue(1);
  }

  @Test
  void serializableTransactionsRunAtThatLevel() {
    String level = transactions.withIsolation(JdbcTransactions.Isolation.SERIALIZABLE).inTransaction(tx ->
        tx.query("SELECT current_setting('transaction_isolation') AS l").get(0).get("l").asText());
    assertThat(level).isEqualTo("serializable");
  }

  @Test
  void aStatementRunningPastTheAttemptTimeoutIsCancelled() {
    ResiliencePolicy quick = ResiliencePolicy.builder().maxAttempts(1).attemptTimeout(Duration.ofMillis(300))
        .deadline(Duration.ofSeconds(5)).withoutCircuitBreaker().withoutRetryBudget().build();
    try (Holdfast short_ = Holdfast.builder(JdbcBackend.fromUrl(database.uri())).policy(quick).build()) {
      assertThatThrownBy(() -> JdbcTransactions.of(short_).inTransaction(tx -> tx.query("SELECT pg_sleep(5)")))
          .isInstanceOf(dev.holdfast.HoldfastException.class);
    }
    try (Connection c = database.dataSource().getConnection()) {
      var rs = c.createStatement().executeQuery(
          "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(5)' AND state = 'active' AND pid <> pg_backend_pid()");
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aStatementPastItsDeadlineIsCancelledByTheServerAndItsConnectionServesTheNextCall() throws Exception {
    ResiliencePolicy quick = ResiliencePolicy.builder().maxAttempts(1).attemptTimeout(Duration.ofMillis(300))
        .deadline(Duration.ofSeconds(5)).withoutCircuitBreaker().withoutRetryBudget().build();
    // One connection: the call after the cancel can only succeed on the connection the cancel hit.
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(database.uri()).maximumPoolSize(1).build())
        .policy(quick).build()) {
      JdbcTransactions one = JdbcTransactions.of(db);
      int pid = one.inTransaction(tx -> tx.query("SELECT pg_backend_pid() AS p").get(0).get("p").asInt());
      assertThatThrownBy(() -> one.inTransaction(tx -> tx.query("SELECT pg_sleep(6)")))
          .isInstanceOfSatisfying(dev.holdfast.HoldfastException.class,
              e -> assertThat(e.details().code()).as("a server-side cancel, not a lost connection")
                  .hasValue("57014"));
      int after = one.inTransaction(tx -> tx.query("SELECT pg_backend_pid() AS p").get(0).get("p").asInt());
      assertThat(after).as("the same server connection, still usable").isEqualTo(pid);
    }
  }

  private static long ledgerCount(String entry) {
    try (Connection c = database.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT count(*) FROM ledger WHERE entry = ?")) {
      ps.setString(1, entry);
      var rs = ps.executeQuery();
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Connections whose COMMIT commits and then reports the connection lost, as when the reply never arrives: both
   * {@code commit()} and a COMMIT statement (which is how holdfast commits).
   */
  static DataSource commitThenLoseTheReply(DataSource real) {
    return commitThenLoseTheReply(real, Integer.MAX_VALUE);
  }

  /** Like {@link #commitThenLoseTheReply(DataSource)}, for the first {@code times} commits only. */
  static DataSource commitThenLoseTheReply(DataSource real, int times) {
    AtomicInteger lost = new AtomicInteger();
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection conn = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                Object r = invoke(conn, m, a);
                if (m.getName().equals("commit") && lost.incrementAndGet() <= times) {
                  throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                }
                if (m.getName().equals("createStatement")) {
                  java.sql.Statement statement = (java.sql.Statement) r;
                  return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                      new Class<?>[] {java.sql.Statement.class}, (sp, sm, sa) -> {
                        Object sr = invoke(statement, sm, sa);
                        if (sm.getName().equals("execute") && sa[0] instanceof String q && q.endsWith("COMMIT")
                            && lost.incrementAndGet() <= times) {
                          throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                        }
                        return sr;
                      });
                }
                return r;
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
