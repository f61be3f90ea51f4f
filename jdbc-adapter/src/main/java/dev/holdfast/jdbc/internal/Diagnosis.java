package dev.holdfast.jdbc.internal;

import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import dev.holdfast.jdbc.ConnectionString;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** The rules behind {@link dev.holdfast.jdbc.ConnectionDoctor}. Internal; stateless. */
public final class Diagnosis {
  private static final Pattern POOLER_HOST = Pattern.compile("(?i)[a-z0-9-]+\\.pooler\\.supabase\\.com");
  private static final Pattern DIRECT_HOST = Pattern.compile("(?i)db\\.([a-z0-9]+)\\.supabase\\.co");
  private static final Pattern POOLER_USER = Pattern.compile("[^.]+\\.[a-z0-9]{10,}");
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
      "verify-full");

  private Diagnosis() {}

  /** Findings that need no network: pooler conventions, ports, TLS settings. */
  public static List<Finding> offline(ConnectionString cs) {
    List<Finding> out = new ArrayList<>();
    String host = cs.host().toLowerCase(Locale.ROOT);
    String user = cs.user().orElse("");
    boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    if (POOLER_HOST.matcher(host).matches()) {
      pooler(cs, user, out);
    }
    Matcher direct = DIRECT_HOST.matcher(host);
    if (direct.matches()) {
      out.add(new Finding(Severity.WARNING, "supabase.direct.ipv6", "db." + direct.group(1) + ".supabase.co is "
          + "Supabase's direct host, which may resolve to IPv6 only", "If this network has no IPv6 (many CI runners "
          + "and containers), use the pooler host from the dashboard's Connect dialog with user postgres."
          + direct.group(1) + "."));
      if (user.contains(".")) {
        out.add(new Finding(Severity.ERROR, "supabase.direct.user", "The direct host expects the user 'postgres', "
            + "not '" + user + "'", "Use user postgres on db.<ref>.supabase.co; postgres.<ref> is for the pooler."));
      }
    }
    if (cs.port() == 6543 || cs.parameter("pgbouncer").filter("true"::equals).isPresent()) {
      String threshold = cs.parameter("prepareThreshold").orElse("0");
      if (!threshold.equals("0")) {
        out.add(new Finding(Severity.ERROR, "pooler.prepared-statements", "Port 6543 is a transaction-mode "
            + "pooler, but the string sets prepareThreshold=" + threshold, "Remove prepareThreshold or set it to 0;"
            + " holdfast's own pools always use 0."));
      }
    }
    ssl(cs, local, out);
    if (cs.password().isEmpty() && !local) {
      out.add(new Finding(Severity.WARNING, "auth.password", "No password is given", "Add the password (or rely on"
          + " ~/.pgpass); percent-encode special characters in URIs, such as @ as %40."));
    }
    return out;
  }

  private static void pooler(ConnectionString cs, String user, List<Finding> out) {
    if (!POOLER_USER.matcher(user).matches()) {
      out.add(new Finding(Severity.ERROR, "supabase.pooler.user", "Supabase's pooler needs the user "
          + "'postgres.<project-ref>', but the string has '" + (user.isEmpty() ? "(none)" : user) + "'",
          "Use the user shown in the dashboard's Connect dialog, such as postgres.abcdefghijklmnopqrst; otherwise "
              + "the pooler answers \"Tenant or user not found\"."));
    }
    if (cs.port() == 6543) {
      out.add(new Finding(Severity.INFO, "supabase.pooler.mode", "Port 6543 is transaction mode: each "
          + "transaction may run on a different server connection", "Keep prepared statements off "
          + "(prepareThreshold=0, as holdfast does) and use SET LOCAL, never SET or session advisory locks."));
    } else if (cs.port() == 5432) {
      out.add(new Finding(Severity.INFO, "supabase.pooler.mode", "Port 5432 on the pooler is session mode: each "
          + "client connection holds a server connection", "Fine for few long-lived clients; for many short ones use "
          + "port 6543 (transaction mode)."));
    } else {
      out.add(new Finding(Severity.ERROR, "supabase.pooler.port", "Supabase's pooler listens on 6543 (transaction "
          + "mode) and 5432 (session mode), not " + cs.port(), "Use port 6543 or 5432."));
    }
    if (!cs.database().equals("postgres")) {
      out.add(new Finding(Severity.WARNING, "supabase.database", "The database is '" + cs.database() + "'",
          "Supabase's database is called postgres."));
    }
  }

  private static void ssl(ConnectionString cs, boolean local, List<Finding> out) {
    String mode = cs.sslMode().orElse(null);
    if (mode != null && !SSL_MODES.contains(mode)) {
      out.add(new Finding(Severity.ERROR, "ssl.mode", "sslmode=" + mode + " is not a valid mode",
          "Use disable, allow, prefer, require, verify-ca or verify-full."));
      return;
    }
    if (local) {
      return;
    }
    if (mode == null || mode.equals("prefer") || mode.equals("allow")) {
      out.add(new Finding(Severity.WARNING, "ssl.mode", "sslmode is " + (mode == null ? "not set (pgjdbc "
          + "defaults to prefer)" : mode) + ": the connection silently falls back to plain text", "Set "
          + "sslmode=require, or sslmode=verify-full with sslrootcert pointing at the server's CA certificate."));
    } else if (mode.equals("disable")) {
      out.add(new Finding(Severity.WARNING, "ssl.mode", "sslmode=disable sends the password and data in plain "
          + "text over the network", "Use sslmode=require or verify-full."));
    } else if (mode.startsWith("verify") && cs.parameter("sslrootcert").isEmpty()) {
      out.add(new Finding(Severity.INFO, "ssl.rootcert", "sslmode=" + mode + " without sslrootcert uses "
          + "~/.postgresql/root.crt", "Set sslrootcert to the CA file (Supabase: download it under Database "
          + "settings, SSL configuration)."));
    }
  }

  /** A finding for a network or TLS failure anywhere in the cause chain, or null. */
  public static Finding network(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      String lower = m.toLowerCase(Locale.ROOT);
      if (lower.contains("pkix") || lower.contains("self-signed") || lower.contains("self signed")
          || t instanceof java.security.cert.CertificateException
          || t instanceof java.security.cert.CertPathValidatorException) {
        return new Finding(Severity.ERROR, "ssl.certificate", "The server's certificate is not trusted: " + m,
            "Set sslrootcert to the CA that signed it (Supabase: download it under Database settings), or use "
                + "sslmode=require to encrypt without verifying the chain.");
      }
      if (lower.contains("does not support ssl")) {
        return new Finding(Severity.ERROR, "ssl.unsupported", "The server does not accept TLS connections",
            "Enable ssl on the server, or set sslmode=disable only on a trusted network.");
      }
      if (t instanceof SSLException) {
        return new Finding(Severity.ERROR, "ssl.handshake", "The TLS handshake failed: " + m,
            "Check sslmode, sslrootcert and that the port speaks PostgreSQL (not HTTPS).");
      }
      if (t instanceof UnknownHostException) {
        return new Finding(Severity.ERROR, "network.unknown-host", "The host name does not resolve: " + m,
            "Check the host's spelling; Supabase's direct host db.<ref>.supabase.co may have only an IPv6 address, "
                + "so use the pooler host from the dashboard on IPv4-only networks.");
      }
      if (t instanceof NoRouteToHostException || lower.contains("network is unreachable")) {
        return new Finding(Severity.ERROR, "network.unreachable", "No route to the host: " + m,
            "If the host is IPv6-only (Supabase's direct host), use the pooler host; otherwise check firewalls.");
      }
      if (t instanceof ConnectException || lower.contains("connection refused")) {
        return new Finding(Severity.ERROR, "network.refused", "Nothing accepted the connection: " + m,
            "Check that the server runs and listens on this host and port.");
      }
    }
    return null;
  }

  /** A finding for a timeout anywhere in the cause chain, or null. */
  public static Finding timeout(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof SocketTimeoutException || m.toLowerCase(Locale.ROOT).contains("timed out")) {
        return new Finding(Severity.ERROR, "network.timeout", "The connection timed out: " + m,
            "Check the port (5432 direct or session, 6543 transaction), firewalls and IP allow-lists (Supabase: "
                + "Network Restrictions).");
      }
    }
    return null;
  }
}
