package dev.holdfast.jdbc.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGProperty;

/**
 * The connection parameters holdfast knows: pgjdbc's own (read from the driver, so a new driver's properties are
 * known without a change here), libpq's with their pgjdbc names, and the ones other tools put in connection
 * strings. Internal; stateless.
 */
public final class Parameters {
  /** libpq's names for settings pgjdbc has under another name. */
  private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
      "application_name", "ApplicationName",
      "connect_timeout", "connectTimeout",
      "target_session_attrs", "targetServerType",
      "channel_binding", "channelBinding",
      "keepalives", "tcpKeepAlive",
      "load_balance_hosts", "loadBalanceHosts",
      "krbsrvname", "kerberosServerName",
      "gssencmode", "gssEncMode",
      "sslnegotiation", "sslNegotiation");
  // libpq's target_session_attrs values that pgjdbc spells differently (any and primary are the same).
  private static final Map<String, String> TARGET_SESSION_ATTRS = Map.of(
      "read-write", "primary",
      "read-only", "secondary",
      "standby", "secondary",
      "prefer-standby", "preferSecondary");
  /** libpq settings pgjdbc has no equivalent for. */
  static final Set<String> LIBPQ_ONLY = Set.of("keepalives_idle", "keepalives_interval", "keepalives_count",
      "tcp_user_timeout", "sslcompression", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
      "ssl_min_protocol_version", "ssl_max_protocol_version", "passfile", "client_encoding",
      "fallback_application_name", "require_auth", "sslcertmode", "gssdelegation", "requiressl");
  /** Prisma's settings, which appear in connection strings copied from Prisma projects. */
  static final Set<String> PRISMA = Set.of("schema", "connection_limit", "pool_timeout", "sslaccept",
      "statement_cache_size", "socket_timeout", "sslidentity");
  /** Names that people add hoping to pick a project or region; the pooler reads neither. */
  static final Set<String> PROJECT = Set.of("project_id", "project", "project_ref", "ref", "region", "tenant");
  /** Read by holdfast itself: {@code pgbouncer=true} marks a transaction pooler, as Prisma's flag does. */
  private static final Set<String> HOLDFAST = Set.of("pgbouncer");
  /** The Cloud SQL Java connector's properties, read by its socket factory. */
  private static final Set<String> CLOUD_SQL = Set.of("cloudSqlInstance", "enableIamAuth", "ipTypes",
      "unixSocketPath");
  private static final Set<String> PGJDBC = Arrays.stream(PGProperty.values()).map(PGProperty::getName)
      .collect(Collectors.toUnmodifiableSet());

  private Parameters() {}

  /** Whether pgjdbc, libpq (through holdfast's translation), holdfast or a known socket factory reads it. */
  public static boolean known(String name) {
    return PGJDBC.contains(name) || LIBPQ_TO_PGJDBC.containsKey(name) || HOLDFAST.contains(name)
        || CLOUD_SQL.contains(name) || name.startsWith("cloudSql");
  }

  /** The pgjdbc property for a libpq name, or the name itself. */
  public static String pgjdbcName(String name) {
    return LIBPQ_TO_PGJDBC.getOrDefault(name, name);
  }

  /** The pgjdbc value for a libpq setting's value, or the value itself. */
  public static String pgjdbcValue(String name, String value) {
    if (name.equals("target_session_attrs")) {
      return TARGET_SESSION_ATTRS.getOrDefault(value, value);
    }
    if (name.equals("keepalives")) {
      return value.equals("0") ? "false" : "true";
    }
    return value;
  }

  /** Whether holdfast passes it on to pgjdbc; the others are read by holdfast or ignored. */
  public static boolean passedToDriver(String name) {
    return !HOLDFAST.contains(name) && !LIBPQ_ONLY.contains(name) && !PRISMA.contains(name)
        && !PROJECT.contains(name);
  }
}
