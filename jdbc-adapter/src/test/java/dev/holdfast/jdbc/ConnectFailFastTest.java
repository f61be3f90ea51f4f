package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.ConfigurationException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.TransientException;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real connection mistakes against embedded PostgreSQL and a real PgBouncer: each fails on the first attempt with
 * a first line that says what happened and where, never HikariCP's "request timed out". The pool's
 * connectionTimeout and the attempt timeout are 30 s here, so a borrow that waited them out could not pass the
 * (generous) 10 s bound.
 */
class ConnectFailFastTest {
  record Thing(Long id) {}

  static final Table<Thing, Long> THINGS = Table.builder("things", Thing.class, Long.class).build();
  static final ResiliencePolicy PATIENT = ResiliencePolicy.builder().attemptTimeout(Duration.ofSeconds(30))
      .deadline(Duration.ofSeconds(60)).build();
  /** The shared server's own database: roles and pg_hba.conf belong to the whole server. */
  static final TestDatabase POSTGRES = TestDatabase.existing(TestPostgres.port(), "postgres", "postgres");
  static PgBouncer bouncer;

  @BeforeAll
  static void roleThatNeedsAPassword() throws Exception {
    POSTGRES.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'failfast') THEN "
        + "CREATE ROLE failfast LOGIN PASSWORD 'right-Kp4w'; END IF; END $$");
    try (Connection c = POSTGRES.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SHOW hba_file")) {
      rs.next();
      Path hba = Path.of(rs.getString(1));
      String rules = Files.readString(hba);
      if (!rules.contains("host all failfast")) {
        Files.writeString(hba, "host all failfast 127.0.0.1/32 scram-sha-256\n" + rules);
        c.createStatement().execute("SELECT pg_reload_conf()");
      }
    }
    bouncer = PgBouncer.start(POSTGRES, PgBouncer.PoolMode.TRANSACTION, 2);
  }

  @AfterAll
  static void stopBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  private static String server() {
    return "127.0.0.1:" + TestPostgres.port();
  }

  @Test
  void aWrongPasswordFailsOnTheFirstAttemptWithTheServersMessage() {
    ConfigurationException e = failFast("postgresql://failfast:wrong-Zt8q@" + server() + "/postgres",
        ConfigurationException.class);
    assertThat(e.reason()).isEqualTo("FATAL: password authentication failed for user \"failfast\" (" + server()
        + ")");
    assertThat(e.code()).contains("28P01");
    assertThat(e.getMessage()).doesNotContain("wrong-Zt8q");
  }

  @Test
  void anUnknownRoleFailsOnTheFirstAttempt() {
    ConfigurationException e = failFast("postgresql://nosuchrole@" + server() + "/postgres",
        ConfigurationException.class);
    assertThat(e.reason()).isEqualTo("FATAL: role \"nosuchrole\" does not exist (" + server() + ")");
    assertThat(e.hint()).contains("Check the user name");
  }

  @Test
  void anUnknownDatabaseFailsOnTheFirstAttempt() {
    ConfigurationException e = failFast("postgresql://postgres@" + server() + "/nosuchdb",
        ConfigurationException.class);
    assertThat(e.reason()).isEqualTo("FATAL: database \"nosuchdb\" does not exist (" + server() + ")");
    assertThat(e.code()).contains("3D000");
  }

  @Test
  void tlsToAServerWithoutTlsIsAConfigurationError() {
    ConfigurationException e = failFast("postgresql://postgres@" + server() + "/postgres?sslmode=require",
        ConfigurationException.class);
    assertThat(e.reason()).isEqualTo("The server does not support SSL. (" + server() + ")");
    assertThat(e.hint()).contains("sslmode=disable");
  }

  @Test
  void startupOptionsThroughPgBouncerAreAConfigurationErrorNamingTheAlternative() {
    String address = "127.0.0.1:" + bouncer.port();
    ConfigurationException e = failFast(bouncer.uri() + "?options=-c%20search_path%3Dpublic",
        ConfigurationException.class);
    assertThat(e.reason()).isEqualTo("FATAL: unsupported startup parameter: options (" + address + ")");
    assertThat(e.hint()).contains("ALTER ROLE");
  }

  @Test
  void pgBouncersUnknownDatabaseAndUserAreConfigurationErrors() {
    String address = "127.0.0.1:" + bouncer.port();
    assertThat(failFast("postgresql://postgres@" + address + "/nosuch", ConfigurationException.class).reason())
        .isEqualTo("FATAL: no such database: nosuch (" + address + ")");
    assertThat(failFast("postgresql://nosuchrole@" + address + "/postgres", ConfigurationException.class)
        .reason()).isEqualTo("FATAL: \"trust\" authentication failed (" + address + ")");
  }

  @Test
  void aRefusedPortIsTransientAndSaysConnectionRefusedWithTheAddress() throws IOException {
    int port = freePort();
    ResiliencePolicy quick = ResiliencePolicy.builder().maxAttempts(2).attemptTimeout(Duration.ofMillis(300))
        .withoutCircuitBreaker().build();
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder("postgresql://postgres@127.0.0.1:" + port
        + "/postgres").build()).policy(quick).build()) {
      TransientException e = catchThrowableOfType(TransientException.class,
          () -> db.repository(THINGS).count(Filter.all()));
      assertThat(e.reason()).startsWith("Connection refused: 127.0.0.1:" + port);
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.requestSent()).isFalse();
      assertThat(e.hint()).contains("listens on this host and port");
    }
  }

  @Test
  void theDoctorsConnectModeNeverCallsAFailedConnectionOk() throws IOException {
    ConnectionDoctor.Report tls = ConnectionDoctor.diagnose("postgresql://postgres@" + server()
        + "/postgres?sslmode=require", Duration.ofSeconds(5));
    assertThat(tls.ok()).isFalse();
    assertThat(tls.findings()).anySatisfy(f -> assertThat(f.topic()).isEqualTo("ssl.unsupported"));
    ConnectionDoctor.Report refused = ConnectionDoctor.diagnose("postgresql://postgres@127.0.0.1:" + freePort()
        + "/postgres", Duration.ofSeconds(5));
    assertThat(refused.ok()).isFalse();
    assertThat(refused.findings()).anySatisfy(f -> {
      assertThat(f.topic()).isEqualTo("network.refused");
      assertThat(f.severity()).isEqualTo(ConnectionDoctor.Severity.ERROR);
    });
  }

  private static <E extends HoldfastException> E failFast(String url, Class<E> type) {
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).connectionTimeout(Duration.ofSeconds(30))
        .build()).policy(PATIENT).build()) {
      long start = System.nanoTime();
      E e = catchThrowableOfType(type, () -> db.repository(THINGS).count(Filter.all()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.reason()).doesNotContain("request timed out").doesNotContain("HikariPool");
      assertThat(millis).as("failed within about one connect round trip, not after 30 s").isLessThan(10_000);
      return e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
