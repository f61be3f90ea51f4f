package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** A real PgBouncer 1.18 in transaction mode with two server connections, per test class. */
@ExtendWith({EmbeddedPostgresExtension.class, PgBouncerExtension.class})
class PgBouncerExtensionTest {
  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void runsInTransactionModeInFrontOfTheClassesDatabase(PgBouncer bouncer,
      TestDatabase database) throws SQLException {
    assertThat(bouncer.database()).isSameAs(database);
    assertThat(bouncer.poolMode()).isEqualTo(PgBouncer.PoolMode.TRANSACTION);
    try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl())) {
      assertThat(one(c, "SELECT current_database()")).isEqualTo(database.name());
      // Not statement mode: a transaction keeps its server connection from BEGIN to COMMIT.
      c.setAutoCommit(false);
      String backend = one(c, "SELECT pg_backend_pid()");
      one(c, "SELECT set_config('holdfast.in_tx', 'yes', true)");
      assertThat(one(c, "SELECT pg_backend_pid()")).isEqualTo(backend);
      assertThat(one(c, "SELECT current_setting('holdfast.in_tx')")).isEqualTo("yes");
      c.commit();
    }
  }

  @Test
  void threeClientsShareAtMostTwoServerConnections(PgBouncer bouncer) throws SQLException {
    Set<String> backends = new HashSet<>();
    try (Connection a = DriverManager.getConnection(bouncer.jdbcUrl());
        Connection b = DriverManager.getConnection(bouncer.jdbcUrl());
        Connection c = DriverManager.getConnection(bouncer.jdbcUrl())) {
      for (int i = 0; i < 5; i++) {
        for (Connection client : List.of(a, b, c)) {
          backends.add(one(client, "SELECT pg_backend_pid()"));
        }
      }
    }
    assertThat(backends).hasSizeBetween(1, 2);
  }

  @Test
  void sessionStateSetByOneClientShowsUpInAnotherClientsTransaction(PgBouncer bouncer, TestDatabase database)
      throws SQLException {
    try (Connection setter = DriverManager.getConnection(bouncer.jdbcUrl());
        Connection other = DriverManager.getConnection(bouncer.jdbcUrl())) {
      one(setter, "SELECT set_config('holdfast.marker', 'leaked', false)");
      // The server connection the SET ran on went back to the pool and is the next one handed out.
      assertThat(one(other, "SELECT current_setting('holdfast.marker', true)")).isEqualTo("leaked");
    }
    try (Connection direct1 = database.dataSource().getConnection();
        Connection direct2 = database.dataSource().getConnection()) {
      one(direct1, "SELECT set_config('holdfast.marker', 'kept', false)");
      assertThat(one(direct2, "SELECT coalesce(current_setting('holdfast.marker', true), '')"))
          .as("without the pooler, session state stays with its session").isEmpty();
    }
  }

  @Test
  void stopsPgBouncerAndDeletesItsFilesWhenTheClassIsDone() {
    Fixture.SEEN.clear();

    TestExecutionSummary summary = RunTests.run(Fixture.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    PgBouncer stopped = Fixture.SEEN.get(0);
    assertThat(stopped.isRunning()).isFalse();
    assertThat(ProcessHandle.of(stopped.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(Files.exists(stopped.directory())).isFalse();
    assertThat(stopped.database().isClosed()).isTrue();
  }

  @Test
  void aMissingPgBouncerSkipsTheClassButFailsItInCi() {
    String before = System.getProperty("holdfast.pgbouncer");
    System.setProperty("holdfast.pgbouncer", "/nonexistent/pgbouncer");
    TestExecutionSummary summary;
    try {
      summary = RunTests.run(Fixture.class);
    } finally {
      if (before == null) {
        System.clearProperty("holdfast.pgbouncer");
      } else {
        System.setProperty("holdfast.pgbouncer", before);
      }
    }

    assertThat(summary.getTestsSucceededCount()).isZero();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(summary.getContainersFailedCount()).isEqualTo(1);
      assertThat(summary.getFailures().get(0).getException()).hasMessageContaining("CI=true");
    } else {
      assertThat(summary.getContainersAbortedCount()).isEqualTo(1);
      assertThat(summary.getContainersFailedCount()).isZero();
    }
  }

  /** Run by the tests above. */
  @ExtendWith(PgBouncerExtension.class)
  @PgBouncerExtension.Settings(poolMode = PgBouncer.PoolMode.SESSION, poolSize = 3)
  static class Fixture {
    static final List<PgBouncer> SEEN = new CopyOnWriteArrayList<>();

    @Test
    void usesTheSettingsAnnotation(PgBouncer bouncer) throws SQLException {
      SEEN.add(bouncer);
      assertThat(bouncer.isRunning()).isTrue();
      assertThat(bouncer.poolMode()).isEqualTo(PgBouncer.PoolMode.SESSION);
      assertThat(bouncer.poolSize()).isEqualTo(3);
      try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl())) {
        assertThat(one(c, "SELECT 1")).isEqualTo("1");
      }
    }
  }
}
