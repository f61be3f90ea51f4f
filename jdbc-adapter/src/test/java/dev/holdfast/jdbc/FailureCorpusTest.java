package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.ConfigurationException;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import dev.holdfast.jdbc.internal.SqlFailures;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.holdfast.jdbc.internal.ConnectionRules;
import dev.holdfast.jdbc.internal.Rule;
import org.junit.jupiter.api.Test;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection failures as PostgreSQL, pgjdbc, PgBouncer 1.18 and Supabase's Supavisor word them (the PgBouncer
 * texts were produced against a real PgBouncer, the Supavisor ones are taken from its source and public issue
 * threads), each through the classifier: the type, the first line, a hint that names the fix, and the doctor
 * explaining it with the same words.
 */
class FailureCorpusTest {
  static final String REF = "abcdefghijklmnopqrst";
  static final String DIRECT = "db." + REF + ".supabase.co:5432";

  record Case(String name, Throwable failure, String address, Class<? extends HoldfastException> type,
      String topic, String firstLine, String fix) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        config("Supavisor, old wording", fatal("Tenant or user not found", "XX000"), null,
            "supabase.tenant-not-found", "FATAL: Tenant or user not found", "postgres.<project-ref>"),
        config("Supavisor, new wording", fatal("(ENOTFOUND) tenant/user postgres.wrongref not found", "XX000"),
            null, "supabase.tenant-not-found", "FATAL: (ENOTFOUND)", "the aws-N- prefix differs between projects"),
        config("Supavisor without a tenant", fatal("(ENOIDENTIFIER) no tenant identifier provided (external_id or "
            + "sni_hostname required)", "XX000"), null, "supabase.pooler-no-identifier", "FATAL: (ENOIDENTIFIER)",
            "postgres.<project-ref>"),
        config("Supavisor auth_query, old wording", fatal("There is no user 'app' in the database. Please create "
            + "it or change the user in the config", "XX000"), null, "supabase.pooler-no-role",
            "FATAL: There is no user 'app'", "create the role"),
        config("Supavisor auth_query, new wording", fatal("(EAUTHQUERY) user not found in the database", "XX000"),
            null, "supabase.pooler-no-role", "FATAL: (EAUTHQUERY)", "create the role"),
        config("Supavisor user format", fatal("(EINVALIDUSERINFO) Authentication error, reason: \"Invalid format "
            + "for user or db_name\"", "XX000"), null, "supabase.pooler-user-format", "FATAL: (EINVALIDUSERINFO)",
            "the database postgres"),
        config("Supavisor allow list", fatal("(EADDRNOTALLOWED) address not in tenant allow_list: {10, 0, 0, 1}",
            "XX000"), null, "supabase.network-restrictions", "FATAL: (EADDRNOTALLOWED)", "Network Restrictions"),
        transientCase("Supavisor, transaction mode full", fatal("(EMAXCONN) max client connections reached, "
            + "limit: 200", "XX000"), null, "supabase.max-clients", "FATAL: (EMAXCONN)", "maximumPoolSize"),
        transientCase("Supavisor, session mode full", fatal("(EMAXCONNSESSION) max clients reached in session mode"
            + " - max clients are limited to pool_size: 15", "XX000"), null, "supabase.max-clients",
            "FATAL: (EMAXCONNSESSION)", "port 6543"),
        config("PgBouncer refuses options", fatal("unsupported startup parameter: options", "08P01"),
            "127.0.0.1:6543", "pooler.startup-options",
            "FATAL: unsupported startup parameter: options (127.0.0.1:6543)", "ALTER ROLE"),
        config("PgBouncer refuses search_path (currentSchema)", fatal("unsupported startup parameter: search_path",
            "08P01"), null, "pooler.startup-options", "FATAL: unsupported startup parameter: search_path",
            "Table.builder(...).schema(...)"),
        config("PgBouncer 1.20+ refuses an option", fatal("unsupported options startup parameter: parameter too "
            + "long", "08P01"), null, "pooler.startup-options", "FATAL: unsupported options", "SET LOCAL"),
        config("PgBouncer unknown database", fatal("no such database: nosuch", "08P01"), null,
            "pgbouncer.no-database", "FATAL: no such database: nosuch", "[databases]"),
        config("PgBouncer unknown user", fatal("\"trust\" authentication failed", "08P01"), null, "pgbouncer.auth",
            "FATAL: \"trust\" authentication failed", "auth_file"),
        config("wrong password", fatal("password authentication failed for user \"app\"", "28P01"),
            "127.0.0.1:5432", "auth.password",
            "FATAL: password authentication failed for user \"app\" (127.0.0.1:5432)", "reset the database password"),
        config("RDS without TLS", fatal("no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database "
            + "\"app\", no encryption", "28000"), null, "auth.hba-ssl", "FATAL: no pg_hba.conf entry",
            "sslmode=require"),
        config("older PostgreSQL without TLS", fatal("no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", "
            + "database \"app\", SSL off", "28000"), null, "auth.hba-ssl", "FATAL: no pg_hba.conf entry",
            "sslmode=require"),
        config("no pg_hba.conf entry", fatal("no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database "
            + "\"app\", SSL encryption", "28000"), null, "auth.hba", "FATAL: no pg_hba.conf entry",
            "allowed network"),
        config("unknown role", fatal("role \"nosuchrole\" does not exist", "28000"), "127.0.0.1:5432", "auth.role",
            "FATAL: role \"nosuchrole\" does not exist (127.0.0.1:5432)", "pooler postgres.<project-ref>"),
        config("role without LOGIN", fatal("role \"reporting\" is not permitted to log in", "28000"), null,
            "auth.refused", "FATAL: role \"reporting\" is not permitted to log in", "pg_hba.conf"),
        config("unknown database", fatal("database \"nosuchdb\" does not exist", "3D000"), "127.0.0.1:5432",
            "database.unknown", "FATAL: database \"nosuchdb\" does not exist (127.0.0.1:5432)",
            "on Supabase it is postgres"),
        config("TLS to a server without TLS", new SQLException("The server does not support SSL.", "08004"),
            "127.0.0.1:5432", "ssl.unsupported", "The server does not support SSL. (127.0.0.1:5432)",
            "sslmode=disable"),
        config("missing root certificate", new SQLException("Could not open SSL root certificate file "
            + "/home/app/.postgresql/root.crt.", "08006"), null, "ssl.rootcert-unreadable",
            "Could not open SSL root certificate file", "sslmode=require"),
        config("verify-full with an IP address", new SQLException("The hostname 10.0.0.5 could not be verified by "
            + "hostnameverifier PgjdbcHostnameVerifier.", "08006"), null, "ssl.hostname", "The hostname 10.0.0.5",
            "verify-ca"),
        config("PKIX", new SQLException("SSL error: PKIX path building failed", "08006",
            new SSLHandshakeException("PKIX path building failed: sun.security.provider.certpath."
                + "SunCertPathBuilderException: unable to find valid certification path to requested target")),
            null, "ssl.certificate", "SSL error: PKIX path building failed", "sslmode=require"),
        config("self-signed chain", new SQLException("SSL error: self-signed certificate in certificate chain",
            "08006"), null, "ssl.certificate", "SSL error: self-signed certificate", "verify-full with sslrootcert"),
        config("not PostgreSQL on that port", new SQLException("An error occurred while setting up the SSL "
            + "connection.", "08P01"), "example.com:443", "ssl.protocol",
            "An error occurred while setting up the SSL connection. (example.com:443)", "PostgreSQL protocol"),
        config("direct host without IPv6 DNS", attemptFailed(new UnknownHostException("db." + REF + ".supabase.co")),
            DIRECT, "supabase.direct.unknown-host", "Unknown host: " + DIRECT,
            "aws-N-<region>.pooler.supabase.com, port 5432, user postgres." + REF),
        config("unknown host", attemptFailed(new UnknownHostException("db.exmaple.com")), null,
            "network.unknown-host", "Unknown host: db.exmaple.com", "spelling"),
        config("direct host, no IPv6 route", attemptFailed(new SocketException("Network is unreachable (connect "
            + "failed)")), DIRECT, "supabase.direct.unreachable", "Network is unreachable (connect failed): "
            + DIRECT, "session pooler host"),
        transientCase("direct host, connect timeout", attemptFailed(new SocketTimeoutException("Connect timed "
            + "out")), DIRECT, "supabase.direct.timeout", "Connect timed out: " + DIRECT,
            "aws-N-<region>.pooler.supabase.com, port 5432"),
        transientCase("no route", attemptFailed(new NoRouteToHostException("No route to host")), "10.0.0.9:5432",
            "network.unreachable", "No route to host: 10.0.0.9:5432", "IPv4 host"),
        transientCase("refused", new SQLException("Connection to 127.0.0.1:5999 refused. Check that the hostname "
            + "and port are correct and that the postmaster is accepting TCP/IP connections.", "08001",
            new ConnectException("Connection refused")), null, "network.refused",
            "Connection refused: 127.0.0.1:5999", "listens on this host and port"),
        transientCase("connect timeout", attemptFailed(new SocketTimeoutException("Connect timed out")),
            "10.0.0.9:5432", "network.timeout", "Connect timed out: 10.0.0.9:5432", "Network Restrictions"),
        transientCase("login timeout", new SQLException("Connection attempt timed out.", "08001"),
            "10.0.0.9:5432", "network.timeout", "Connection attempt timed out: 10.0.0.9:5432", "firewalls"),
        transientCase("no primary in the host list", new SQLException("Could not find a server with specified "
            + "targetServerType: primary", "08001"), "127.0.0.1:5432,127.0.0.1:5433", "cluster.no-primary",
            "Could not find a server with specified targetServerType: primary", "failover"),
        transientCase("server starting", fatal("the database system is starting up", "57P03"), null,
            "server.starting", "FATAL: the database system is starting up", "Wait"),
        transientCase("too many clients", fatal("sorry, too many clients already", "53300"), null,
            "server.too-many-clients", "FATAL: sorry, too many clients already", "maximumPoolSize"),
        config("HikariCP's timeout over an unknown role", new SQLTransientConnectionException("HikariPool-1 - "
            + "Connection is not available, request timed out after 5001ms (total=0, active=0, idle=0, waiting=0)",
            "28000", fatal("role \"nosuchrole\" does not exist", "28000")), null, "auth.role",
            "FATAL: role \"nosuchrole\" does not exist", "Check the user name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theClassifierTypesItAndItsHintNamesTheFix(Case c) {
    HoldfastException e = SqlFailures.classify(c.failure(), "jdbc", SqlFailures.Phase.CONNECT, false,
        c.address())
        .orElseThrow();
    assertThat(e).isInstanceOf(c.type());
    assertThat(e.reason()).startsWith(c.firstLine()).doesNotContain("request timed out");
    assertThat(e.hint()).contains(c.fix());
    if (e instanceof TransientException t) {
      assertThat(t.requestSent()).as("nothing was sent while connecting").isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theDoctorExplainsItInTheSameWords(Case c) {
    HoldfastException e = SqlFailures.classify(c.failure(), "jdbc", SqlFailures.Phase.CONNECT, false,
        c.address())
        .orElseThrow();
    Finding f = ConnectionDoctor.explain(e);
    assertThat(f.topic()).isEqualTo(c.topic());
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.advice()).isEqualTo(e.hint());
    assertThat(f.message()).contains(e.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theServiceLoadedClassifierAgreesWhenTheFailureSaysWhereItHappened(Case c) {
    if (c.address() != null) {
      return; // a user's own DAO gives no address; only holdfast's pool knows it
    }
    HoldfastException e = new SqlStateClassifier().classify(c.failure(), "jdbc").orElseThrow();
    assertThat(e).isInstanceOf(c.type());
  }

  @Test
  void theCorpusHasACaseForEveryFailureRule() {
    Set<String> covered = corpus().map(Case::topic).collect(Collectors.toSet());
    Set<String> rules = ConnectionRules.all().stream()
        .filter(r -> r.outcome() == Rule.Outcome.CONFIGURATION || r.outcome() == Rule.Outcome.TRANSIENT)
        .map(Rule::topic).filter(t -> !t.equals("connection.failed")).collect(Collectors.toSet());
    assertThat(covered).containsAll(rules);
  }

  private static Case config(String name, Throwable failure, String address, String topic, String firstLine,
      String fix) {
    return new Case(name, failure, address, ConfigurationException.class, topic, firstLine, fix);
  }

  private static Case transientCase(String name, Throwable failure, String address, String topic,
      String firstLine, String fix) {
    return new Case(name, failure, address, TransientException.class, topic, firstLine, fix);
  }

  private static SQLException fatal(String message, String state) {
    return new SQLException("FATAL: " + message, state);
  }

  private static SQLException attemptFailed(Throwable cause) {
    return new SQLException("The connection attempt failed.", "08001", cause);
  }
}
