package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * PgBouncer in front of a database the test runs itself ({@link TestDatabase#existing}), through a restart of
 * PostgreSQL on the same port, with a short {@code server_login_retry}.
 */
class PgBouncerRestartTest {
  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @SuppressWarnings("try") // closes inside the try on purpose: the close is what is tested
  void anExistingDatabaseIsReachedByPortAndIsNotDroppedOnClose() throws Exception {
    TestDatabase own = TestPostgres.createDatabase();
    try (TestDatabase existing = TestDatabase.existing(own.port(), own.name(), own.user())) {
      existing.execute("CREATE TABLE kept (v int)", "INSERT INTO kept VALUES (7)");
      assertThat(existing.uri()).isEqualTo(own.uri());
      assertThat(existing.toString()).contains("existing");
      existing.close();
      assertThat(existing.isClosed()).isTrue();
      try (Connection c = own.dataSource().getConnection()) {
        assertThat(one(c, "SELECT v FROM kept")).as("closing an existing database drops nothing").isEqualTo("7");
      }
    } finally {
      own.close();
    }
    assertThatThrownBy(() -> TestDatabase.existing(0, "db", "postgres")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailingStatementSaysWhichOneAndWhy() {
    try (TestDatabase db = TestPostgres.createDatabase()) {
      assertThatThrownBy(() -> db.execute("SELECT 1", "SELEC 2"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("SELEC 2").hasMessageContaining("syntax");
    }
  }

  @Test
  void aNonPositiveLoginRetryIsRefusedBeforeAnythingStarts() {
    try (TestDatabase db = TestDatabase.existing(5432, "db", "postgres")) {
      assertThatThrownBy(() -> PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION, 1, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void clientsGetThroughAgainSoonAfterPostgresqlRestartsBehindPgBouncer() throws Exception {
    PgBouncer.assumeInstalled();
    Path data = Files.createTempDirectory("holdfast-restart-test");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres pg = start(data, port);
    try (TestDatabase postgres = TestDatabase.existing(port, "postgres", "postgres");
        PgBouncer bouncer = PgBouncer.start(postgres, PgBouncer.PoolMode.TRANSACTION, 1, Duration.ofMillis(200))) {
      assertThat(Files.readString(bouncer.directory().resolve("pgbouncer.ini")))
          .contains("server_login_retry = 1\n");
      try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl())) {
        assertThat(one(c, "SELECT current_database()")).isEqualTo("postgres");
      }
      pg.close();
      // While PostgreSQL is down, a login through PgBouncer fails (and PgBouncer starts its retry wait).
      assertThatThrownBy(() -> {
        try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl() + "&loginTimeout=5&socketTimeout=5")) {
          one(c, "SELECT 1");
        }
      }).isInstanceOf(SQLException.class);
      pg = start(data, port);
      // PgBouncer's default retry wait (15 s from the failed login above) would keep clients out for longer than
      // this loop waits; with 1 s they get through at once.
      String answer = null;
      long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (answer == null && System.nanoTime() < end) {
        try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl())) {
          answer = one(c, "SELECT 'back'");
        } catch (SQLException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(answer).as("a query through PgBouncer within 6 s of the restart:\n" + bouncer.log())
          .isEqualTo("back");
    } finally {
      pg.close();
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
