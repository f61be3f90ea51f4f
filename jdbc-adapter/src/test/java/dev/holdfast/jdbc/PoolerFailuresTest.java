package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.ConfigurationException;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.jdbc.internal.SqlFailures;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The failures that say a connection's session went wrong behind a transaction pooler: typed as configuration
 * errors with the setting to change, and the connection they happened on never reused.
 */
class PoolerFailuresTest {
  private final SqlStateClassifier classifier = new SqlStateClassifier();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "42P05|ERROR: prepared statement \"S_1\" already exists|",
      "26000|ERROR: prepared statement \"S_7\" does not exist|",
      "08P01|ERROR: bind message supplies 2 parameters, but prepared statement \"S_4\" requires 1|",
      "25P02|ERROR: current transaction is aborted, commands ignored until end of transaction block|",
      "22P03|ERROR: incorrect binary data format in bind parameter 1|",
      "22P02|ERROR: invalid input syntax for type bigint: \"t3-17\"|Where: unnamed portal parameter $1 = '...'",
      "22021|ERROR: invalid byte sequence for encoding \"UTF8\": 0x00|Where: unnamed portal parameter $2"})
  void aUsersStatementThatMetAnotherClientsIsAConfigurationErrorNamingTheSetting(String state, String first,
      String where) {
    // As pgjdbc words them: the server's context on a line of its own.
    String message = where == null ? first : first + "\n  " + where;
    HoldfastException e = classifier.classify(new SQLException(message, state), "jdbc").orElseThrow();
    assertThat(e).isInstanceOf(ConfigurationException.class);
    assertThat(e.code()).hasValue(state);
    assertThat(e.hint()).contains("prepareThreshold=0");
    assertThat(e.getMessage()).startsWith(first);
  }

  @Test
  void aConnectionThePoolClosedAfterMarkingItBrokenIsTransientAndMayHaveBeenSent() {
    // What HikariCP throws (no SQLSTATE) when a DAO uses a connection it closed after a 08P01.
    HoldfastException e = classifier.classify(new SQLException("Connection is closed"), "jdbc").orElseThrow();
    assertThat(e).isInstanceOfSatisfying(dev.holdfast.TransientException.class,
        t -> assertThat(t.requestSent()).isTrue());
  }

  @Test
  void aBadValueInHoldfastsOwnOneShotStatementIsAnInvalidRequest() {
    SQLException bad = new SQLException("ERROR: invalid input syntax for type bigint: \"abc\"\n"
        + "  Where: unnamed portal parameter $1 = '...'", "22P02");
    assertThat(SqlFailures.classify(bad, "jdbc", SqlFailures.Phase.UNKNOWN, true, null).orElseThrow())
        .isInstanceOf(InvalidRequestException.class);
    assertThat(SqlFailures.poisonsConnection(bad)).isFalse();
    assertThat(SqlFailures.poisonsConnection(new SQLException("prepared statement \"S_1\" already exists",
        "42P05"))).isTrue();
  }

  @Test
  void aConnectionWhoseSessionWentWrongIsEvictedFromThePool() {
    try (TestDatabase database = TestPostgres.createDatabase()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + database.port() + "/" + database.name() + "?user="
          + database.user());
      config.setMaximumPoolSize(1);
      try (HikariDataSource pool = new HikariDataSource(config);
          Holdfast db = Holdfast.builder(JdbcBackend.wrap(pool))
              .policy(ResiliencePolicy.builder().maxAttempts(1).withoutCircuitBreaker().build()).build()) {
        JdbcTransactions tx = JdbcTransactions.of(db);
        int before = backendPid(tx);
        AtomicInteger runs = new AtomicInteger();
        HoldfastException e = org.assertj.core.api.Assertions.catchThrowableOfType(HoldfastException.class,
            () -> tx.inTransaction(t -> {
              runs.incrementAndGet();
              return t.update("DO $$ BEGIN RAISE EXCEPTION 'collision' USING ERRCODE = '42P05'; END $$");
            }));
        assertThat(e).isInstanceOf(ConfigurationException.class);
        assertThat(runs).hasValue(1);
        assertThat(backendPid(tx)).as("a new server session").isNotEqualTo(before);
      }
    }
  }

  private static int backendPid(JdbcTransactions tx) {
    return tx.inTransaction(t -> t.query("SELECT pg_backend_pid() AS p").get(0).get("p").intValue());
  }
}
