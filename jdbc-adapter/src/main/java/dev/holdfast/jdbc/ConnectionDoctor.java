package dev.holdfast.jdbc;

import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Secrets;
import dev.holdfast.jdbc.internal.Diagnosis;
import dev.holdfast.jdbc.internal.SqlFailures;
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
   * Checks {@code connectionString} without connecting or resolving names: its syntax, Supabase pooler
   * conventions, ports and TLS settings.
   *
   * @throws NullPointerException if {@code connectionString} is null
   */
  public static Report check(String connectionString) {
    Objects.requireNonNull(connectionString, "connectionString");
    ConnectionString cs;
    try {
      cs = ConnectionString.parse(connectionString);
    } catch (InvalidRequestException e) {
      return new Report(ConnectionString.maskWhole(connectionString), List.of(
          new Finding(Severity.ERROR, "syntax", e.reason(), e.hint())));
    }
    return new Report(cs.toString(), Diagnosis.offline(cs));
  }

  /**
   * Checks {@code connectionString}, then resolves its host and connects once (with prepared statements off, as
   * holdfast does) within about {@code timeout}, reporting the server version or what the failure means.
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
    try {
      InetAddress[] addresses = InetAddress.getAllByName(cs.host());
      boolean anyV4 = false;
      for (InetAddress a : addresses) {
        anyV4 |= a instanceof Inet4Address;
      }
      if (!anyV4) {
        findings.add(new Finding(Severity.WARNING, "network.ipv6", cs.host() + " has only IPv6 addresses",
            "If this network has no IPv6 route, connect through Supabase's pooler host instead (session mode, "
                + "port 5432, user postgres.<project-ref>)."));
      }
    } catch (UnknownHostException e) {
      findings.add(explain(e));
      return new Report(cs.toString(), findings);
    }
    long start = System.nanoTime();
    Properties props = new Properties();
    cs.user().ifPresent(u -> props.setProperty("user", u));
    cs.password().ifPresent(p -> props.setProperty("password", p));
    cs.parameters().forEach(props::setProperty);
    props.setProperty("prepareThreshold", "0");
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    props.setProperty("connectTimeout", String.valueOf(seconds));
    props.setProperty("socketTimeout", String.valueOf(seconds));
    props.setProperty("loginTimeout", String.valueOf(seconds));
    try (Connection c = DriverManager.getConnection(cs.toJdbcUrl(), props); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
      rs.next();
      long ms = (System.nanoTime() - start) / 1_000_000;
      findings.add(new Finding(Severity.INFO, "connected", "Connected to PostgreSQL " + rs.getString(1) + " in "
          + ms + " ms", ""));
    } catch (SQLException | RuntimeException e) {
      findings.add(explain(e));
    }
    return new Report(cs.toString(), findings);
  }

  /**
   * What a connection failure means and what to change. Recognises holdfast's own exceptions, SQLSTATEs,
   * "Tenant or user not found", certificate (PKIX) failures, unknown hosts, refused connections and timeouts;
   * anything else is reported as it is, with secrets masked.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static Finding explain(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    Finding network = Diagnosis.network(failure);
    if (network != null) {
      return network;
    }
    HoldfastException classified = failure instanceof HoldfastException h ? h
        : SqlFailures.classify(failure, "jdbc", SqlFailures.Phase.UNKNOWN).orElse(null);
    if (classified instanceof dev.holdfast.ConfigurationException) {
      return new Finding(Severity.ERROR, classified.code().map(c -> "sqlstate." + c).orElse("configuration"),
          classified.reason(), classified.hint());
    }
    Finding timeout = Diagnosis.timeout(failure);
    if (timeout != null) {
      return timeout;
    }
    if (classified != null) {
      Severity severity = classified instanceof dev.holdfast.TransientException ? Severity.WARNING : Severity.ERROR;
      String topic = classified.code().map(c -> "sqlstate." + c).orElse("database");
      return new Finding(severity, topic, classified.reason(), classified.hint());
    }
    return new Finding(Severity.ERROR, "unknown", String.valueOf(failure.getMessage()),
        "Check the host, port, user, password and sslmode.");
  }
}
