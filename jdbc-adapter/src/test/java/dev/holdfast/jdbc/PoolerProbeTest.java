package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.ConfigurationException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.jdbc.internal.PoolerProbe;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the wrapped-DataSource check finds on each real path — PostgreSQL directly, PgBouncer in session mode, in
 * transaction mode with last-used and with round-robin reuse, and with a single server connection — and what
 * {@link JdbcBackend#wrap} then does with a pool that keeps pgjdbc's default prepared statements.
 */
class PoolerProbeTest {
  record Row(Long id) {}

  static final Table<Row, Long> ROWS = Table.builder("probe_rows", Row.class, Long.class).build();
  static final Duration BOUND = Duration.ofSeconds(3);

  static TestDatabase database;
  static PgBouncer session;
  static PgBouncer transaction;
  static PgBouncer roundRobin;
  static PgBouncer single;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    database.execute("CREATE TABLE probe_rows (id bigserial PRIMARY KEY)");
    session = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.SESSION).poolSize(4).start();
    transaction = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.TRANSACTION).poolSize(2).start();
    roundRobin = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.TRANSACTION).poolSize(3)
        .serverRoundRobin(true).start();
    single = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.TRANSACTION).poolSize(1).start();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {session, transaction, roundRobin, single, database}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // Best effort.
      }
    }
  }

  static String direct() {
    return "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + database.name() + "?user=" + database.user();
  }

  static PoolerProbe.Finding probe(String url) throws SQLException {
    try (Connection first = DriverManager.getConnection(url)) {
      return PoolerProbe.run(first, wait -> {
        try {
          return Optional.of(DriverManager.getConnection(url));
        } catch (SQLException e) {
          return Optional.empty();
        }
      }, BOUND);
    }
  }

  @Test
  void aDirectConnectionIsRecognisedByItsLoginProcessId() throws SQLException {
    assertThat(probe(direct()).path()).isEqualTo(PoolerProbe.Path.DIRECT);
  }

  @Test
  void aSessionPoolerKeepsOneServerProcessPerClient() throws SQLException {
    PoolerProbe.Finding finding = probe(session.jdbcUrl());
    assertThat(finding.path()).isEqualTo(PoolerProbe.Path.SESSION_POOLER);
    assertThat(finding.evidence()).contains("the login reported process");
  }

  @Test
  void aTransactionPoolerIsCaughtMovingAClientBetweenServerProcesses() throws SQLException {
    for (PgBouncer bouncer : new PgBouncer[] {transaction, roundRobin, single}) {
      for (int i = 0; i < 3; i++) {
        PoolerProbe.Finding finding = probe(bouncer.jdbcUrl());
        assertThat(finding.path()).as(bouncer + ": " + finding.evidence())
            .isEqualTo(PoolerProbe.Path.TRANSACTION_POOLER);
      }
    }
  }

  @Test
  void withoutASecondConnectionThePoolerStaysUnnamed() throws SQLException {
    try (Connection first = DriverManager.getConnection(transaction.jdbcUrl())) {
      PoolerProbe.Finding finding = PoolerProbe.run(first, wait -> Optional.empty(), BOUND);
      assertThat(finding.path()).isEqualTo(PoolerProbe.Path.POOLER);
    }
  }

  @Test
  void aProbedConnectionIsHandedBackAsItWasFound() throws SQLException {
    try (Connection first = DriverManager.getConnection(transaction.jdbcUrl())) {
      first.setAutoCommit(false);
      first.setNetworkTimeout(Runnable::run, 12_345);
      probe(transaction.jdbcUrl());
      PoolerProbe.run(first, wait -> Optional.empty(), BOUND);
      assertThat(first.getAutoCommit()).isFalse();
      assertThat(first.getNetworkTimeout()).isEqualTo(12_345);
    }
  }

  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  @Test
  void aPoolWithDefaultPreparedStatementsIsAcceptedWherePreparedStatementsAreSafe() {
    for (String url : new String[] {direct(), session.jdbcUrl()}) {
      try (HikariDataSource pool = pool(url, 4); JdbcBackend backend = JdbcBackend.wrap(pool);
          Holdfast db = Holdfast.builder(backend).build()) {
        assertThat(db.repository(ROWS).count(Filter.all())).isNotNegative();
      }
    }
  }

  @Test
  void aPoolOfOneConnectionBehindAPoolerIsAcceptedWithAWarning() {
    try (HikariDataSource pool = pool(transaction.jdbcUrl(), 1); JdbcBackend backend = JdbcBackend.wrap(pool);
        Holdfast db = Holdfast.builder(backend).build()) {
      assertThat(db.repository(ROWS).count(Filter.all())).isNotNegative();
    }
  }

  @Test
  void aPgjdbcDataSourceBehindATransactionPoolerIsRefusedToo() {
    PGSimpleDataSource plain = new PGSimpleDataSource();
    plain.setUrl(roundRobin.jdbcUrl());
    assertThatThrownBy(() -> JdbcBackend.wrap(plain)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("prepareThreshold=5")
        .satisfies(e -> assertThat(((ConfigurationException) e).hint()).contains("setPrepareThreshold(0)"));
  }

  @Test
  void whenTheDatabaseIsUnreachableAtWrapTheFirstCallRunsTheCheck() {
    ResiliencePolicy once = ResiliencePolicy.builder().maxAttempts(1).withoutCircuitBreaker().build();
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", transaction.port())) {
      proxy.refuseNewConnections();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name() + "?user="
          + database.user());
      config.setInitializationFailTimeout(-1);
      config.setConnectionTimeout(500);
      try (HikariDataSource pool = new HikariDataSource(config);
          Holdfast db = Holdfast.builder(JdbcBackend.builder(pool).poolerCheckTimeout(Duration.ofMillis(300))
              .build()).policy(once).build()) {
        proxy.heal();
        for (int i = 0; i < 2; i++) {
          assertThatThrownBy(() -> db.repository(ROWS).count(Filter.all()))
              .isInstanceOf(ConfigurationException.class).hasMessageContaining("transaction-mode pooler");
        }
      }
    }
  }
}
