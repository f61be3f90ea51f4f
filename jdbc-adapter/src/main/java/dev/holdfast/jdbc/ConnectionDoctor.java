package dev.holdfast.jdbc;

import dev.holdfast.Secrets;
import dev.holdfast.jdbc.internal.ConnectionRules;
import dev.holdfast.jdbc.internal.Diagnosis;
import dev.holdfast.jdbc.internal.Parameters;
import dev.holdfast.jdbc.internal.Subject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Checks a PostgreSQL connection string before connecting, and explains connection failures after, in terms of
 * what to change: Supabase's pooler user ({@code postgres.<project-ref>}), transaction (6543) versus session
 * (5432) mode, the IPv6-only direct host, sslmode and root certificates, wrong passwords, unknown hosts, timeouts.
 * Passwords never appear in its output. Stateless and thread-safe.
 *
 * <pre>{@code
 * ConnectionDoctor.Report report = ConnectionDoctor.check(System.getenv("DATABASE_URL"));
 * report.findings().forEach(f -> System.out.println(f));
 *
 * try { ... } catch (HoldfastException e) {
 *   System.err.println(ConnectionDoctor.explain(e).advice());
 * }
 * }</pre>
 */
public final class ConnectionDoctor {
  /** How serious a finding is. */
  public enum Severity {
    /** Worth knowing; nothing to change. */
    INFO,
    /** Works, but likely to hurt: insecure, fragile or slow. */
    WARNING,
    /** Will not work as written. */
    ERROR
  }

  /**
   * One observation about a connection.
   *
   * @param severity how serious it is
   * @param topic a short stable key, such as {@code supabase.pooler.user} or {@code ssl.mode}
   * @param message what was found, without secrets
   * @param advice what to change, or an empty string when nothing needs changing
   */
  public record Finding(Severity severity, String topic, String message, String advice) {
    public Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(topic, "topic");
      message = Secrets.redact(Objects.requireNonNull(message, "message"));
      advice = Secrets.redact(Objects.requireNonNull(advice, "advice"));
    }

    @Override
    public String toString() {
      return severity + " [" + topic + "] " + message + (advice.isEmpty() ? "" : " -> " + advice);
    }
  }

  /**
   * What the doctor found about one connection string.
   *
   * @param connection the connection string with its password masked
   * @param findings the findings, most serious first
   */
  public record Report(String connection, List<Finding> findings) {
    public Report {
      connection = Secrets.redact(Objects.requireNonNull(connection, "connection"));
      findings = findings.stream().sorted((a, b) -> b.severity().compareTo(a.severity())).toList();
    }

    /** Whether nothing was found that stops the connection from working. */
    public boolean ok() {
      return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder(connection).append(ok() ? ": OK" : ": PROBLEMS").append('\n');
      findings.forEach(f -> out.append("  ").append(f).append('\n'));
      return out.toString();
    }
  }

  private ConnectionDoctor() {}

  /**
   * Checks {@code connectionString} without connecting or resolving names: its syntax, the host forms and users
   * of Supabase, Neon, RDS, Cloud SQL and Azure, pooler ports and startup parameters, parameters no driver reads,
   * and TLS settings. A string that does not parse is described, never shown: it may be a pasted password.
   *
   * @throws NullPointerException if {@code connectionString} is null
   */
  public static Report check(String connectionString) {
    Objects.requireNonNull(connectionString, "connectionString");
    ConnectionString.Read read = ConnectionString.read(connectionString);
    List<Finding> findings = new ArrayList<>();
    read.problems().forEach(p -> findings.add(p.finding()));
    ConnectionString cs = read.connectionString();
    if (cs == null) {
      return new Report(ConnectionString.describe(connectionString), findings);
    }
    findings.addAll(findings(cs));
    return new Report(cs.toString(), findings);
  }

  /** The offline findings for a string that parses; also what {@link JdbcBackend} checks when it is built. */
  static List<Finding> findings(ConnectionString cs) {
    return ConnectionRules.check(new Subject(cs.format().name(), cs.host(), cs.port(), cs.user().orElse(null),
        cs.password().orElse(null), cs.database(), cs.parameters(), cs.notes()));
  }

  /**
   * Checks {@code connectionString}, then resolves its host and connects once (with prepared statements off, as
   * holdfast does) within about {@code timeout}, reporting the server version or what the failure means. A
   * failed connection is always an ERROR, so {@link Report#ok()} is false.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Report diagnose(String connectionString, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Report offline = check(connectionString);
    if (!offline.ok()) {
      return offline;
    }
    ConnectionString cs = ConnectionString.parse(connectionString);
    List<Finding> findings = new ArrayList<>(offline.findings());
    String address = (cs.host().contains(":") ? "[" + cs.host() + "]" : cs.host()) + ":" + cs.port();
    try {
      InetAddress[] addresses = InetAddress.getAllByName(cs.host());
      boolean anyV4 = false;
      for (InetAddress a : addresses) {
        anyV4 |= a instanceof Inet4Address;
      }
      if (!anyV4) {
        findings.add(ConnectionRules.IPV6_ONLY.finding(Map.of("host", cs.host())));
      }
    } catch (UnknownHostException e) {
      findings.add(failed(Diagnosis.explain(e, address)));
      return new Report(cs.toString(), findings);
    }
    long start = System.nanoTime();
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    Properties props = new Properties();
    cs.user().ifPresent(u -> props.setProperty("user", u));
    cs.password().ifPresent(p -> props.setProperty("password", p));
    cs.parameters().forEach((k, v) -> {
      if (Parameters.passedToDriver(k)) {
        props.setProperty(Parameters.pgjdbcName(k), Parameters.pgjdbcValue(k, v));
      }
    });
    props.setProperty("prepareThreshold", "0");
    props.setProperty("connectTimeout", String.valueOf(seconds));
    props.setProperty("socketTimeout", String.valueOf(seconds));
    props.setProperty("loginTimeout", String.valueOf(seconds));
    try (Connection c = DriverManager.getConnection(cs.toJdbcUrl(), props); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
      rs.next();
      long ms = (System.nanoTime() - start) / 1_000_000;
      findings.add(ConnectionRules.CONNECTED.finding(Map.of("version", rs.getString(1), "millis",
          String.valueOf(ms))));
    } catch (SQLException | RuntimeException e) {
      findings.add(failed(Diagnosis.explain(e, address)));
    }
    return new Report(cs.toString(), findings);
  }

  /** A connection that failed is never OK, whatever a retry might do. */
  private static Finding failed(Finding f) {
    return f.severity() == Severity.ERROR ? f : new Finding(Severity.ERROR, f.topic(), f.message(), f.advice());
  }

  /**
   * What a connection failure means and what to change, in the words of the README's troubleshooting table:
   * Supabase's and PgBouncer's pooler errors, SQLSTATEs of failed logins, certificate and TLS failures, unknown
   * hosts, refused connections and timeouts (with the IPv6-only direct host named). Anything else is reported
   * as it is, with secrets masked.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static Finding explain(Throwable failure) {
    return Diagnosis.explain(Objects.requireNonNull(failure, "failure"), null);
  }
}
