package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Report;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionDoctorTest {
  static final String REF = "abcdefghijklmnopqrst";

  /** The shared embedded server's own database (roles belong to the whole server); started on first use. */
  private static TestDatabase postgres() {
    return TestDatabase.existing(TestPostgres.port(), "postgres", "postgres");
  }

  @Test
  void poolerWithoutTheProjectRefInTheUserIsAnError() {
    Report report = ConnectionDoctor.check(
        "postgresql://postgres:hunter2@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?sslmode=require");
    assertThat(report.ok()).isFalse();
    assertThat(topics(report)).contains("supabase.pooler.user", "supabase.pooler.mode");
    assertThat(report.toString()).doesNotContain("hunter2");
  }

  @Test
  void aCorrectTransactionPoolerStringIsOkAndExplainsTheMode() {
    Report report = ConnectionDoctor.check("postgresql://postgres." + REF
        + ":hunter2@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?sslmode=require");
    assertThat(report.ok()).isTrue();
    assertThat(report.findings()).anySatisfy(f -> {
      assertThat(f.topic()).isEqualTo("supabase.pooler.mode");
      assertThat(f.message()).contains("transaction");
    });
    assertThat(report.connection()).contains("****").doesNotContain("hunter2");
  }

  @Test
  void sessionModeAndWrongPortsOnThePooler() {
    assertThat(ConnectionDoctor.check("postgresql://postgres." + REF
        + ":pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres?sslmode=require").findings())
        .anySatisfy(f -> assertThat(f.message()).contains("session mode"));
    assertThat(topics(ConnectionDoctor.check("postgresql://postgres." + REF
        + ":pw@aws-0-eu-west-1.pooler.supabase.com:6000/postgres?sslmode=require")))
        .contains("supabase.pooler.port");
  }

  @Test
  void theDirectHostMayBeIpv6Only() {
    Report report = ConnectionDoctor.check("postgresql://postgres:pw@db." + REF + ".supabase.co:5432/postgres"
        + "?sslmode=verify-full");
    assertThat(topics(report)).contains("supabase.direct.ipv6", "ssl.rootcert");
    assertThat(report.ok()).isTrue();
  }

  @Test
  void preparedStatementsOnTheTransactionPortAreAnError() {
    Report report = ConnectionDoctor.check("jdbc:postgresql://aws-0-eu-west-1.pooler.supabase.com:6543/postgres"
        + "?user=postgres." + REF + "&password=pw&prepareThreshold=5&sslmode=require");
    assertThat(topics(report)).contains("pooler.prepared-statements");
    assertThat(report.ok()).isFalse();
  }

  @Test
  void sslModesAreChecked() {
    assertThat(topics(ConnectionDoctor.check("postgresql://u:pw@db.example.com/app"))).contains("ssl.mode");
    assertThat(ConnectionDoctor.check("postgresql://u:pw@db.example.com/app?sslmode=bogus").ok()).isFalse();
    assertThat(ConnectionDoctor.check("postgresql://u:pw@localhost/app").findings()).isEmpty();
  }

  @Test
  void malformedStringsAreReportedWithThePasswordMasked() {
    Report report = ConnectionDoctor.check("postgresql://u:hunter2@host:port/db");
    assertThat(report.ok()).isFalse();
    assertThat(report.toString()).doesNotContain("hunter2").contains("syntax");
  }

  @Test
  void explainsRealFailures() {
    assertThat(ConnectionDoctor.explain(new SQLException("FATAL: Tenant or user not found", "XX000")).advice())
        .contains("postgres.<project-ref>");
    assertThat(ConnectionDoctor.explain(new SQLException("FATAL: password authentication failed for user "
        + "\"postgres\"", "28P01")).advice()).contains("password");
    assertThat(ConnectionDoctor.explain(new SQLException("SSL error", "08006", new SSLHandshakeException(
        "PKIX path building failed: unable to find valid certification path"))).topic()).isEqualTo("ssl.certificate");
    assertThat(ConnectionDoctor.explain(new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("db.nope.supabase.co"))).topic()).isEqualTo("network.unknown-host");
    assertThat(ConnectionDoctor.explain(new SQLException("The connection attempt failed.", "08001",
        new java.net.SocketTimeoutException("connect timed out"))).topic()).isEqualTo("network.timeout");
    Finding refused = ConnectionDoctor.explain(new SQLException("Connection to 127.0.0.1:1 refused", "08001",
        new ConnectException("Connection refused")));
    assertThat(refused.topic()).isEqualTo("network.refused");
    assertThat(refused.severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void diagnoseConnectsToARealServer() {
    Report report = ConnectionDoctor.diagnose(postgres().uri(), Duration.ofSeconds(5));
    assertThat(report.findings()).anySatisfy(f -> assertThat(f.message()).startsWith("Connected to PostgreSQL 16"));
  }

  @Test
  void diagnoseExplainsAWrongPasswordWithoutShowingIt() throws Exception {
    postgres().execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doctor') THEN "
        + "CREATE ROLE doctor LOGIN PASSWORD 'right'; END IF; END $$");
    Report report = ConnectionDoctor.diagnose("postgresql://doctor:wrong-secret@127.0.0.1:" + TestPostgres.port()
        + "/postgres", Duration.ofSeconds(5));
    // The embedded server trusts local connections, so a wrong password still gets in; a refused port does not.
    assertThat(report.toString()).doesNotContain("wrong-secret");
    Report refused = ConnectionDoctor.diagnose("postgresql://u:wrong-secret@127.0.0.1:1/postgres",
        Duration.ofSeconds(2));
    assertThat(topics(refused)).contains("network.refused");
    assertThat(refused.toString()).doesNotContain("wrong-secret");
  }

  @Test
  void optionsThatOnlyNameTheProjectAreNoStartupSettings() {
    // Supavisor reads reference=, Neon's proxy endpoint=, for clients that cannot send SNI.
    assertThat(topics(ConnectionDoctor.check("postgresql://postgres:pw@aws-0-eu-west-1.pooler.supabase.com:6543/"
        + "postgres?sslmode=require&options=reference%3D" + REF))).doesNotContain("pooler.startup-options")
        .doesNotContain("supabase.pooler.user");
    assertThat(topics(ConnectionDoctor.check("postgresql://alex:pw@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws."
        + "neon.tech/db?sslmode=require&options=endpoint%3Dep-cool-darkness-a1b2c3d4")))
        .doesNotContain("pooler.startup-options");
  }

  private static java.util.List<String> topics(Report report) {
    return report.findings().stream().map(Finding::topic).toList();
  }
}
