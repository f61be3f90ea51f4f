package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.ConfigurationException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Table;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real password failure (28P01) from the embedded server, for a role that must log in with a password. */
class AuthenticationFailureTest {
  record Thing(Long id) {}

  /** The shared server's own database: roles and pg_hba.conf belong to the whole server. */
  static final TestDatabase POSTGRES = TestDatabase.existing(TestPostgres.port(), "postgres", "postgres");

  @BeforeAll
  static void requirePasswordForTheDoctorRole() throws Exception {
    POSTGRES.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pwuser') THEN "
        + "CREATE ROLE pwuser LOGIN PASSWORD 'right-password'; END IF; END $$");
    try (Connection c = POSTGRES.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SHOW hba_file")) {
      rs.next();
      Path hba = Path.of(rs.getString(1));
      String rules = Files.readString(hba);
      if (!rules.startsWith("host all pwuser")) {
        // Only this role needs a password; the rules for every other role stay as they were.
        Files.writeString(hba, "host all pwuser 127.0.0.1/32 scram-sha-256\n" + rules);
        c.createStatement().execute("SELECT pg_reload_conf()");
      }
    }
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorThatIsNotRetriedAndNeverShowsThePassword() {
    String url = "postgresql://pwuser:wrong-password@127.0.0.1:" + TestPostgres.port() + "/postgres";
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).connectionTimeout(Duration.ofSeconds(2)).build())
        .build()) {
      Table<Thing, Long> things = Table.builder("things", Thing.class, Long.class).build();
      assertThatThrownBy(() -> db.repository(things).count(Filter.all()))
          .isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.code()).contains("28P01");
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.hint()).contains("password");
            assertThat(e.getMessage()).doesNotContain("wrong-password");
          });
    }
  }

  @Test
  void theDoctorExplainsTheWrongPassword() {
    ConnectionDoctor.Report report = ConnectionDoctor.diagnose(
        "postgresql://pwuser:wrong-password@127.0.0.1:" + TestPostgres.port() + "/postgres", Duration.ofSeconds(5));
    assertThat(report.ok()).isFalse();
    assertThat(report.findings()).anySatisfy(f -> assertThat(f.topic()).isEqualTo("auth.password"));
    assertThat(report.toString()).doesNotContain("wrong-password");
    assertThat(ConnectionDoctor.diagnose("postgresql://pwuser:right-password@127.0.0.1:" + TestPostgres.port()
        + "/postgres", Duration.ofSeconds(5)).ok()).isTrue();
  }
}
