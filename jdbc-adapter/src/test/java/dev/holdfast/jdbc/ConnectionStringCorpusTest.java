package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.ConfigurationException;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Report;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.holdfast.jdbc.internal.ConnectionRules;
import dev.holdfast.jdbc.internal.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken connection strings, one per mistake class (from the issue and from providers' docs and public issue
 * threads), each checked for the finding's topic, severity and that the advice names the fix; an ERROR also
 * fails {@code JdbcBackend.builder(...).build()} with the same words.
 */
class ConnectionStringCorpusTest {
  static final String REF = "abcdefghijklmnopqrst";
  static final String PW = "Vx7Qp2Lm9Rt";
  static final String POOLER = "aws-0-eu-west-1.pooler.supabase.com";
  static final Path CA = caFile();

  record Case(String input, String topic, Severity severity, String fix) {
    @Override
    public String toString() {
      return topic + " <- " + input;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        // What the parser refuses.
        new Case("", "syntax.empty", Severity.ERROR, "postgresql://"),
        new Case("postgresql+asyncpg://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/postgres",
            "syntax.sqlalchemy-scheme", Severity.ERROR, "postgresql://postgres." + REF + ":****@" + POOLER
                + ":6543/postgres (libpq form) or jdbc:postgresql://" + POOLER + ":6543/postgres"),
        new Case("postgres+psycopg2://app:" + PW + "@db.example.com/app", "syntax.sqlalchemy-scheme",
            Severity.ERROR, "Drop +psycopg2"),
        new Case("jdbc:postgres://db.example.com:5432/app", "syntax.jdbc-postgres-scheme", Severity.ERROR,
            "jdbc:postgresql://"),
        new Case("jdbc:mysql://db.example.com:3306/app?user=app&password=" + PW, "syntax.other-database",
            Severity.ERROR, "jdbc:postgresql://"),
        new Case("mysql://app:" + PW + "@db.example.com/app", "syntax.other-scheme", Severity.ERROR,
            "postgresql://"),
        new Case("https://" + REF + ".supabase.co", "supabase.api-url", Severity.ERROR,
            "https://" + REF + ".supabase.co/rest/v1 to PostgrestClient.builder"),
        new Case("https://api.example.com/v1", "syntax.http-url", Severity.ERROR, "PostgrestClient.builder"),
        new Case("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlX29mX3RoZV9rZXk", "syntax.api-key",
            Severity.ERROR, "apiKey(...)"),
        new Case("sb_secret_" + PW, "syntax.api-key", Severity.ERROR, "apiKey(...)"),
        new Case(PW, "syntax.unrecognised", Severity.ERROR, "Copy the connection string again"),
        new Case("Vx7=Qp2Lm9", "syntax.unrecognised", Severity.ERROR, "Copy the connection string again"),
        new Case("postgresql://app:Vx7/Qp2Lm9@db.example.com:5432/app", "uri.password-reserved", Severity.ERROR,
            "/ as %2F"),
        new Case("postgresql://app:Vx7?Qp2Lm9@db.example.com:5432/app", "uri.password-reserved", Severity.ERROR,
            "? as %3F"),
        new Case("postgresql://app:1234/5678@db.example.com/app", "uri.password-reserved", Severity.ERROR,
            "Percent-encode"),
        new Case("postgresql://app:Vx7@Qp/2Lm9@db.example.com/app", "uri.password-reserved", Severity.ERROR,
            "@ as %40"),
        new Case("postgresql://app@db.example.com/app?password=Vx7Q&p2Lm9", "uri.password-reserved",
            Severity.ERROR, "& as %26"),
        new Case("postgresql://app:100%pure" + PW + "@db.example.com/app", "uri.password-percent",
            Severity.ERROR, "% as %25"),
        new Case("postgresql://db.example.com:abc/app", "syntax.port", Severity.ERROR, "5432"),
        new Case("postgresql://db.example.com:99999/app", "syntax.port-range", Severity.ERROR, "5432"),
        new Case("postgresql://db.exa mple.com/app", "syntax.host", Severity.ERROR, "Check the host"),
        new Case("postgresql://app@[2001:db8::1/app", "syntax.ipv6", Severity.ERROR, "[2001:db8::1]:5432"),
        new Case("postgresql://db.example.com/app%zz", "syntax.percent-escape", Severity.ERROR, "%25"),
        new Case("postgresql://db.example.com/app%0Aname", "syntax.control", Severity.ERROR, "database name"),
        new Case("host=db.example.com port 5432", "syntax.key-value", Severity.ERROR, "key=value"),
        new Case("host=db.example.com password='" + PW, "syntax.quote", Severity.ERROR, "single quote"),
        // Supabase host forms.
        new Case("postgresql://postgres:" + PW + "@" + REF + ".supabase.co:5432/postgres", "supabase.host.api",
            Severity.ERROR, "give https://" + REF + ".supabase.co/rest/v1 to PostgrestClient.builder"),
        new Case("postgresql://postgres:" + PW + "@db.supabase.co:5432/postgres", "supabase.host.no-ref",
            Severity.ERROR, "db.<project-ref>.supabase.co"),
        new Case("postgresql://postgres:" + PW + "@db." + REF + ":5432/postgres", "supabase.host.no-domain",
            Severity.ERROR, "db." + REF + ".supabase.co"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + REF + ".pooler.supabase.com:6543/postgres",
            "supabase.host.pooler-ref", Severity.ERROR, "aws-N-<region>.pooler.supabase.com"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@aws-0-ap-northeast-1.pooler.supabase.co:6543/"
            + "postgres", "supabase.host.domain", Severity.ERROR, "aws-0-ap-northeast-1.pooler.supabase.com"),
        new Case("postgresql://postgres:" + PW + "@db." + REF + ".supabase.com:5432/postgres",
            "supabase.host.domain", Severity.ERROR, "db." + REF + ".supabase.co."),
        new Case("postgresql://postgres." + REF + ":" + PW + "@eu-west-1.pooler.supabase.com:6543/postgres",
            "supabase.host.pooler-form", Severity.ERROR, "the aws-N- prefix differs between projects"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@aws-eu-west-1.pooler.supabase.com:6543/postgres",
            "supabase.host.pooler-form", Severity.ERROR, "Connect dialog"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@eu-west-1.supabase.co:6543/postgres",
            "supabase.host.unknown", Severity.ERROR, "Connect dialog"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@aws-0-eu-west-1.supabase.com:6543/postgres",
            "supabase.host.unknown", Severity.ERROR, "Connect dialog"),
        new Case("postgresql://postgres:" + PW + "@db.myproject.supabase.co:5432/postgres",
            "supabase.host.direct-ref", Severity.WARNING, "Connect dialog"),
        // Supabase users.
        new Case("postgresql://service_role:" + PW + "@" + POOLER + ":6543/postgres", "supabase.user.api-role",
            Severity.ERROR, "postgres.<ref> on the pooler"),
        new Case("postgresql://anon:" + PW + "@db." + REF + ".supabase.co:5432/postgres",
            "supabase.user.api-role", Severity.ERROR, "postgres on db." + REF + ".supabase.co"),
        new Case("postgresql://authenticated." + REF + ":" + PW + "@" + POOLER + ":6543/postgres",
            "supabase.user.api-role", Severity.ERROR, "postgres." + REF),
        new Case("postgresql://" + REF + ":" + PW + "@" + POOLER + ":6543/postgres", "supabase.user.ref-only",
            Severity.ERROR, "postgres." + REF),
        new Case("postgresql://postgres.db." + REF + ":" + PW + "@" + POOLER + ":6543/postgres",
            "supabase.user.db-prefix", Severity.ERROR, "postgres." + REF),
        new Case("host=" + POOLER + " port=5432 user=postgres." + REF + ":6543 password=" + PW
            + " dbname=postgres sslmode=require", "user.port", Severity.ERROR, POOLER + ":6543"),
        new Case("postgresql://postgres:" + PW + "@" + POOLER + ":6543/postgres", "supabase.pooler.user",
            Severity.ERROR, "postgres.<project-ref>"),
        new Case("postgresql://postgres.myproject:" + PW + "@" + POOLER + ":6543/postgres",
            "supabase.user.not-ref", Severity.ERROR, "not its name"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@db." + REF + ".supabase.co:5432/postgres",
            "supabase.direct.user", Severity.ERROR, "user postgres on db." + REF + ".supabase.co"),
        new Case("postgresql://postgres:" + PW + "@db." + REF + ".supabase.co:5432/postgres?sslmode=require",
            "supabase.direct.ipv6", Severity.WARNING, "aws-N-<region>.pooler.supabase.com, port 5432, user postgres."
                + REF),
        new Case("postgresql://postgres:" + PW + "@db." + REF + ".supabase.co:6543/postgres?sslmode=require",
            "supabase.direct.pooler", Severity.INFO, "prepareThreshold=0"),
        new Case("postgresql://postgres:" + PW + "@db." + REF + ".supabase.co:6000/postgres?sslmode=require",
            "supabase.direct.port", Severity.ERROR, "5432"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/postgres?sslmode=require",
            "supabase.pooler.mode", Severity.INFO, "SET LOCAL"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":5432/postgres?sslmode=require",
            "supabase.pooler.session", Severity.INFO, "port 6543"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":7000/postgres?sslmode=require",
            "supabase.pooler.port", Severity.ERROR, "6543 or 5432"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/app?sslmode=require",
            "supabase.database", Severity.WARNING, "postgres"),
        // Other providers.
        new Case("postgresql://alex:" + PW + "@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/dbname"
            + "?sslmode=require&channel_binding=require", "neon.pooler", Severity.INFO, "prepareThreshold=0"),
        new Case("postgresql://alex:" + PW + "@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/dbname"
            + "?sslmode=require&options=-c%20search_path%3Dapp", "pooler.startup-options", Severity.ERROR,
            "ALTER ROLE"),
        new Case("postgresql://alex:" + PW + "@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/dbname"
            + "?sslmode=disable", "neon.ssl", Severity.ERROR, "sslmode=require"),
        new Case("postgresql://app:" + PW + "@mydb.cluster-ro-c7tj4example.us-east-1.rds.amazonaws.com/app"
            + "?sslmode=require", "rds.reader", Severity.WARNING, "cluster (writer) endpoint"),
        new Case("postgresql://app:" + PW + "@mydb.c7tj4example.us-east-1.rds.amazonaws.com/app?sslmode=disable",
            "rds.ssl", Severity.WARNING, "sslmode=require"),
        new Case("postgresql://app:" + PW + "@myserver.postgres.database.azure.com:6432/app?sslmode=require",
            "azure.pgbouncer", Severity.INFO, "prepareThreshold=0"),
        new Case("postgresql://app:" + PW + "@pgbouncer.internal:6432/app?sslmode=require&currentSchema=app",
            "pgbouncer.startup-options", Severity.WARNING, "ALTER ROLE"),
        new Case("jdbc:postgresql:///mydb?cloudSqlInstance=proj:europe-west1:main&user=app&password=" + PW,
            "cloudsql.socket-factory", Severity.ERROR, "socketFactory=com.google.cloud.sql.postgres.SocketFactory"),
        new Case("postgresql:///mydb?host=/cloudsql/proj:europe-west1:main&user=app&password=" + PW,
            "host.unix-socket", Severity.ERROR, "Cloud SQL Java connector"),
        new Case("host=/var/run/postgresql dbname=app user=app", "host.unix-socket", Severity.ERROR,
            "host=localhost"),
        // Parts given twice.
        new Case("postgresql://app:" + PW + "@db-a.example.com/app?host=db-b.example.com&sslmode=require",
            "host.twice", Severity.ERROR, "host=db-b.example.com"),
        new Case("postgresql://app:" + PW + "@db.example.com:5432/app?port=6432&sslmode=require", "port.twice",
            Severity.ERROR, "port=6432"),
        new Case("postgresql://alice:" + PW + "@db.example.com/app?user=bob&sslmode=require",
            "credentials.user-twice", Severity.ERROR, "user=bob"),
        new Case("postgresql://app:[YOUR-PASSWORD]@db.example.com/app?password=" + PW + "&sslmode=require",
            "credentials.password-twice", Severity.ERROR, "Keep one of them"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?dbname=other&sslmode=require", "database.twice",
            Severity.ERROR, "dbname=other"),
        new Case("jdbc:postgresql://db.example.com:5432/app;user=app;password=" + PW + ";sslmode=require",
            "jdbc.semicolon-properties", Severity.WARNING, "after ? joined by &"),
        new Case("postgresql://app:Vx7@Qp#2L:m9@db.example.com/app?sslmode=require", "uri.password-unencoded",
            Severity.WARNING, "@ as %40"),
        // Poolers.
        new Case("jdbc:postgresql://" + POOLER + ":6543/postgres?user=postgres." + REF + "&password=" + PW
            + "&prepareThreshold=5&sslmode=require", "pooler.prepared-statements", Severity.ERROR,
            "prepareThreshold or set it to 0"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/postgres?sslmode=require"
            + "&options=-c%20search_path%3Dapp", "pooler.startup-options", Severity.ERROR, "ALTER ROLE"),
        new Case("postgresql://app:" + PW + "@db.example.com:5432/app?pgbouncer=true&currentSchema=app"
            + "&sslmode=require", "pooler.startup-options", Severity.ERROR, "Table.builder(...).schema(...)"),
        // Parameters no driver reads.
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/postgres?sslmode=require"
            + "&project_id=" + REF, "parameter.project", Severity.WARNING, "postgres.<project-ref>"),
        new Case("postgresql://postgres." + REF + ":" + PW + "@" + POOLER + ":6543/postgres?sslmode=require"
            + "&region=eu-west-1", "parameter.project", Severity.WARNING, "Connect dialog"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&schema=public",
            "parameter.prisma", Severity.WARNING, "Table.builder(...).schema(...)"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&connection_limit=1",
            "parameter.prisma", Severity.WARNING, "maximumPoolSize"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&keepalives_idle=30",
            "parameter.libpq-only", Severity.WARNING, "pgjdbc property"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&colour=blue",
            "parameter.unknown", Severity.WARNING, "spelling"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&connect_timeout=10s",
            "parameter.connect-timeout", Severity.ERROR, "connect_timeout=10 (seconds"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&connect_timeout=10",
            "parameter.connect-timeout-seconds", Severity.INFO, ""),
        new Case("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/app", "cluster.target-default", Severity.INFO,
            "targetServerType=preferSecondary"),
        new Case("postgresql://127.0.0.1:5432,127.0.0.1:5433/app?target_session_attrs=prefer-standby",
            "cluster.target-replicas", Severity.INFO, "maxReplicaLag"),
        new Case("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/app?targetServerType=any", "cluster.target-any",
            Severity.WARNING, "targetServerType=primary"),
        // TLS.
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=no-verify", "ssl.mode-invalid",
            Severity.ERROR, "verify-full"),
        new Case("postgresql://app:" + PW + "@db.example.com/app", "ssl.mode", Severity.WARNING,
            "sslmode=require"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=prefer", "ssl.mode", Severity.WARNING,
            "sslmode=require"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=disable", "ssl.disabled",
            Severity.WARNING, "sslmode=require"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require", "ssl.require", Severity.INFO,
            "sslmode=verify-full with sslrootcert"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=require&sslrootcert=" + CA,
            "ssl.rootcert-ignored", Severity.WARNING, "sslmode=verify-full"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=verify-full&sslrootcert=system",
            "ssl.rootcert-system", Severity.ERROR, "DefaultJavaSSLFactory"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=verify-full&sslrootcert=/nowhere/ca.pem",
            "ssl.rootcert-missing", Severity.ERROR, "sslmode=require"),
        new Case("postgresql://app:" + PW + "@db.example.com/app?sslmode=verify-full", "ssl.rootcert",
            Severity.INFO, "sslrootcert"),
        new Case("postgresql://app:" + PW + "@10.0.0.5/app?sslmode=verify-full&sslrootcert=" + CA,
            "ssl.verify-ip", Severity.WARNING, "verify-ca"),
        new Case("postgresql://app@db.example.com/app?sslmode=require", "auth.no-password", Severity.WARNING,
            "~/.pgpass"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theDoctorNamesTheMistakeAndItsFix(Case c) {
    Report report = ConnectionDoctor.check(c.input());
    assertThat(report.findings()).as(report.toString()).anySatisfy(f -> {
      assertThat(f.topic()).isEqualTo(c.topic());
      assertThat(f.severity()).isEqualTo(c.severity());
      assertThat(f.advice()).contains(c.fix());
    });
    assertThat(report.ok()).isEqualTo(report.findings().stream().noneMatch(f -> f.severity() == Severity.ERROR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void anErrorFailsTheBackendsConstructionWithTheDoctorsWords(Case c) {
    if (c.severity() != Severity.ERROR) {
      return;
    }
    Finding first = ConnectionDoctor.check(c.input()).findings().get(0);
    Throwable thrown = catchThrowable(() -> JdbcBackend.builder(c.input()).build().close());
    assertThat(thrown).isInstanceOfAny(InvalidRequestException.class, ConfigurationException.class);
    HoldfastException e = (HoldfastException) thrown;
    assertThat(e.reason()).isEqualTo(first.message());
    assertThat(e.hint()).isEqualTo(first.advice());
    assertThat(thrown).isInstanceOf(c.topic().startsWith("syntax.") || c.topic().startsWith("uri.password-")
        || c.topic().equals("supabase.api-url") ? InvalidRequestException.class : ConfigurationException.class);
  }

  @Test
  void theCorpusHasACaseForEveryRuleOfTheParserAndTheOfflineChecks() {
    Set<String> covered = corpus().map(Case::topic).collect(Collectors.toSet());
    Set<String> rules = ConnectionRules.all().stream()
        .filter(r -> r.outcome() == Rule.Outcome.INVALID_REQUEST || r.outcome() == Rule.Outcome.FINDING)
        .map(Rule::topic).filter(t -> !t.equals("connected") && !t.equals("network.ipv6-only"))
        .collect(Collectors.toSet());
    assertThat(covered).containsAll(rules);
  }

  private static Path caFile() {
    try {
      Path p = Files.createTempFile("holdfast-ca", ".pem");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
