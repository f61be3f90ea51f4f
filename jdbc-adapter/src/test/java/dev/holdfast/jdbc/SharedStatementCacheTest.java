package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A wrapped pool with pgjdbc's defaults shares each connection's statement cache between the application's own
 * code and holdfast. When the application ran a statement often enough, pgjdbc names it on the server, and the
 * same text prepared later by anyone on that connection reuses the name, whatever that statement's own
 * {@code prepareThreshold}. Behind a transaction pooler the name can stand for another client's statement on the
 * server the transaction reaches, which then runs instead, without an error. Here the server-side statement
 * behind the name is swapped by hand on a direct connection, which is the same situation made deterministic.
 */
class SharedStatementCacheTest {
  private static final String INCREMENT =
      "INSERT INTO counters (id, n) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET n = counters.n + 1";
  static TestDatabase database;

  @BeforeAll
  static void start() throws Exception {
    database = TestPostgres.createDatabase();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE counters (id bigint PRIMARY KEY, n bigint NOT NULL)");
    }
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void holdfastsStatementNeverRunsUnderANameTheApplicationsCodeLeftOnTheConnection() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setMaximumPoolSize(1); // one connection: the application's and holdfast's statements share its cache
    try (HikariDataSource pool = new HikariDataSource(config);
        Holdfast db = Holdfast.builder(JdbcBackend.builder(pool).transactionPooler(false).build())
            .policy(ResiliencePolicy.builder().maxAttempts(1).withoutCircuitBreaker().build()).build()) {
      try (Connection c = pool.getConnection()) {
        for (int i = 0; i < 6; i++) { // past pgjdbc's prepareThreshold of 5: now a named statement
          try (PreparedStatement ps = c.prepareStatement(INCREMENT)) {
            ps.setLong(1, 1);
            ps.executeUpdate();
          }
        }
        String name;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO counters%'")) {
          assertThat(rs.next()).as("pgjdbc named the application's statement").isTrue();
          name = rs.getString(1);
        }
        // Under the same name, now another statement with a bigint parameter that changes nothing: what a
        // transaction pooler's server connection may hold under a name from another client.
        try (Statement s = c.createStatement()) {
          s.execute("DEALLOCATE \"" + name + "\"");
          s.execute("PREPARE \"" + name + "\" (bigint) AS UPDATE counters SET n = n WHERE id = $1");
        }
      }

      JdbcTransactions.of(db).inTransaction(tx -> tx.update(INCREMENT, 1L));

      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = 1")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the acknowledged increment is stored").isEqualTo(7);
      }
    }
  }
}
