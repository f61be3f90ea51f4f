package dev.holdfast.jdbc.internal;

import static dev.holdfast.jdbc.ConnectionDoctor.Severity.ERROR;
import static dev.holdfast.jdbc.ConnectionDoctor.Severity.INFO;
import static dev.holdfast.jdbc.ConnectionDoctor.Severity.WARNING;
import static dev.holdfast.jdbc.internal.Rule.Outcome.CONFIGURATION;
import static dev.holdfast.jdbc.internal.Rule.Outcome.FINDING;
import static dev.holdfast.jdbc.internal.Rule.Outcome.INVALID_REQUEST;
import static dev.holdfast.jdbc.internal.Rule.Outcome.TRANSIENT;

import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every connection mistake holdfast knows, one row each: its topic, how serious it is, what the user sees, what
 * it means and what to change. The parser ({@link dev.holdfast.jdbc.ConnectionString}), the doctor
 * ({@link dev.holdfast.jdbc.ConnectionDoctor}), the check {@link dev.holdfast.jdbc.JdbcBackend} runs when it is
 * built, the {@code Doctor} command and the exception hints all take their words from here, and the README's
 * troubleshooting table is generated from it ({@link #markdownTable()}), so a user reads the same sentence
 * wherever the mistake shows. Host forms are covered for Supabase, Neon, Amazon RDS and Aurora, Google Cloud SQL,
 * Azure Database for PostgreSQL and plain PgBouncer, as their public documentation gives them. Internal;
 * stateless.
 */
public final class ConnectionRules {
  // Fixes that more than one rule gives, so that the same mistake reads the same wherever it shows.
  static final String FIX_ENCODE = "Percent-encode the password's reserved characters: / as %2F, ? as %3F, # as %23, @ as %40, : as "
      + "%3A, & as %26, [ as %5B, ] as %5D and % as %25.";
  static final String FIX_POOLER_USER = "Use the user postgres.<project-ref> and copy the pooler host exactly from "
      + "the dashboard's Connect dialog: the aws-N- prefix differs between projects.";
  static final String FIX_IPV6 = "db.{ref}.supabase.co may have only an IPv6 address: from a network without IPv6 "
      + "(many CI runners, containers and serverless hosts) use the session pooler host from the dashboard's "
      + "Connect dialog, aws-N-<region>.pooler.supabase.com, port 5432, user postgres.{ref}.";
  static final String FIX_TRANSACTION = "Keep prepared statements off (holdfast always does: prepareThreshold=0) "
      + "and use SET LOCAL, never SET or session advisory locks.";
  static final String FIX_STARTUP_OPTIONS = "Set it on the role instead (ALTER ROLE <user> SET search_path = ...), "
      + "per transaction with SET LOCAL, or name the schema in Table.builder(...).schema(...).";
  static final String FIX_TLS_CHAIN = "Use sslmode=require to encrypt without checking the chain, or "
      + "sslmode=verify-full with sslrootcert=<CA file> (Supabase: download it under Database settings, SSL "
      + "configuration).";
  private static final Set<String> API_ROLES = Set.of("anon", "authenticated", "service_role");

  private ConnectionRules() {}

  // ---------------------------------------------------------------------------------------------------------
  // What the parser refuses. Messages never quote the input: a malformed string may hold a password anywhere.
  // ---------------------------------------------------------------------------------------------------------

  public static final Rule EMPTY = syntax("syntax.empty", "An empty DATABASE_URL",
      "The connection string is empty",
      "Pass a postgresql:// URI, a jdbc:postgresql:// URL or libpq key=value pairs (host=... dbname=...).");
  public static final Rule SQLALCHEMY_SCHEME = syntax("syntax.sqlalchemy-scheme",
      "postgresql+asyncpg://… copied from a Python app",
      "{scheme}:// is a SQLAlchemy dialect scheme: the part after + names a Python driver",
      "Drop +{driver} from the scheme: {plain} (libpq form) or {jdbc} with the user and password as properties "
          + "(JDBC form).");
  public static final Rule JDBC_POSTGRES_SCHEME = syntax("syntax.jdbc-postgres-scheme", "jdbc:postgres://…",
      "jdbc:postgres:// is not a pgjdbc URL: the driver accepts only jdbc:postgresql://",
      "Write jdbc:postgresql:// (or the libpq form {plain}).");
  public static final Rule OTHER_DATABASE = syntax("syntax.other-database", "jdbc:mysql://… or another "
          + "driver's URL", "This is a JDBC URL for {driver}, not for PostgreSQL",
      "Use a jdbc:postgresql:// URL or a postgresql:// URI for the PostgreSQL database.");
  public static final Rule OTHER_SCHEME = syntax("syntax.other-scheme", "mysql://…, redis://…",
      "This is a {scheme}:// URL, not a PostgreSQL connection string",
      "Use the PostgreSQL connection string from the database's dashboard, "
          + "postgresql://<user>:****@<host>:5432/<database> with the password in place of ****.");
  public static final Rule API_URL = syntax("supabase.api-url", "https://<ref>.supabase.co as DATABASE_URL",
      "This is the project's HTTP API URL (PostgREST at /rest/v1), not a database connection string",
      "Give https://{ref}.supabase.co/rest/v1 to PostgrestClient.builder(...); for JDBC copy the connection "
          + "string from the dashboard's Connect dialog.");
  public static final Rule HTTP_URL = syntax("syntax.http-url", "https://… as DATABASE_URL",
      "This is an HTTP URL, not a PostgreSQL connection string",
      "Give a PostgREST URL to PostgrestClient.builder(...); for JDBC use "
          + "postgresql://<user>:****@<host>:5432/<database> with the password in place of ****.");
  public static final Rule API_KEY = syntax("syntax.api-key", "A JWT or API key pasted instead of the URL",
      "The input looks like an API key or JWT ({length} characters), not a connection string",
      "API keys belong in PostgrestClient.builder(...).apiKey(...); for JDBC copy the connection string from the "
          + "dashboard's Connect dialog.");
  public static final Rule UNRECOGNISED = syntax("syntax.unrecognised", "A pasted password, a name or other text",
      "The input ({length} characters) is not a postgresql:// URI, a jdbc:postgresql:// URL or libpq key=value "
          + "pairs", "Copy the connection string again from the database's dashboard (none of the input is shown, "
          + "in case it was a secret).");
  public static final Rule PASSWORD_RESERVED = syntax("uri.password-reserved",
      "postgresql://user:pa/ss@host… read as a port that is not a number or a strange database",
      "The password seems to contain a reserved character (one of / ? # @ : & [ ]) that is not percent-encoded, "
          + "so the URI cannot be read", FIX_ENCODE);
  public static final Rule PASSWORD_PERCENT = syntax("uri.password-percent", "postgresql://user:100%pure@host…",
      "The password contains a % that does not start a %XX escape", FIX_ENCODE);
  public static final Rule PERCENT_ESCAPE = syntax("syntax.percent-escape", "A % in the host, database or query",
      "A part of the string has a % that does not start a %XX escape",
      "Write % as %25 and percent-encode other reserved characters.");
  public static final Rule PORT = syntax("syntax.port", "postgresql://host:abc/db",
      "The port is not a number", "Use a port such as 5432 (direct or session pooler) or 6543 (transaction "
          + "pooler); if the password has reserved characters, percent-encode them.");
  public static final Rule PORT_RANGE = syntax("syntax.port-range", "postgresql://host:99999/db",
      "The port is outside 1-65535", "Use a port such as 5432 or 6543.");
  public static final Rule HOST = syntax("syntax.host", "A host with spaces or other stray characters",
      "The host has characters a host name cannot have",
      "Check the host; if the password has reserved characters (/ ? # @ :), percent-encode them.");
  public static final Rule IPV6_BRACKET = syntax("syntax.ipv6", "postgresql://user@[2001:db8::1/db",
      "An IPv6 address is missing its closing ]", "Write IPv6 hosts as [2001:db8::1]:5432.");
  public static final Rule KEY_VALUE = syntax("syntax.key-value", "host=h port 5432",
      "The key=value text has a word without = at character {position}",
      "Write key=value pairs separated by spaces; put values with spaces in single quotes.");
  public static final Rule UNCLOSED_QUOTE = syntax("syntax.quote", "password='secret",
      "A quoted value is not closed", "Close the value with a single quote; write a quote inside it as \\'.");
  public static final Rule CONTROL_CHARACTERS = syntax("syntax.control", "A database name with a line break",
      "The database name has control characters", "Check the database name.");

  // ---------------------------------------------------------------------------------------------------------
  // Checks of a string that parses, before connecting. Supabase first, then other providers, then any server.
  // ---------------------------------------------------------------------------------------------------------

  static final List<Check> CHECKS = List.of(
      check(finding("supabase.host.api", ERROR, "<ref>.supabase.co as the database host",
          "{host} is the project's HTTP API host (PostgREST at https://{host}/rest/v1), not a database host",
          "Use the pooler host aws-N-<region>.pooler.supabase.com with user postgres.{ref}, or db.{ref}.supabase.co; "
              + "give https://{host}/rest/v1 to PostgrestClient.builder(...)."),
          when(s -> hostMistake(s).equals("api"))),
      check(finding("supabase.host.no-ref", ERROR, "db.supabase.co",
          "db.supabase.co lacks the project ref",
          "The direct host is db.<project-ref>.supabase.co; copy it from the dashboard's Connect dialog."),
          when(s -> hostMistake(s).equals("no-ref"))),
      check(finding("supabase.host.no-domain", ERROR, "db.<ref> without .supabase.co",
          "{host} lacks the domain .supabase.co", "Write {host}.supabase.co."),
          when(s -> hostMistake(s).equals("no-domain"))),
      check(finding("supabase.host.pooler-ref", ERROR, "<ref>.pooler.supabase.com",
          "{host} puts the project ref where the pooler host has its region",
          "The pooler host is aws-N-<region>.pooler.supabase.com, copied from the Connect dialog; the ref goes in "
              + "the user, postgres.{ref}."),
          when(s -> hostMistake(s).equals("pooler-ref"))),
      check(finding("supabase.host.domain", ERROR, "aws-0-<region>.pooler.supabase.co, db.<ref>.supabase.com",
          "{host} has the wrong domain: the pooler is under pooler.supabase.com, the direct host under supabase.co",
          "Write {suggestion}."),
          s -> hostMistake(s).equals("domain") ? List.of(Map.of("suggestion", swapDomain(s.host()))) : List.of()),
      check(finding("supabase.host.pooler-form", ERROR, "eu-west-1.pooler.supabase.com, aws-eu-west-1.pooler…",
          "{host} is not a pooler host: the pooler is aws-N-<region>.pooler.supabase.com, with a digit for N and a "
              + "region such as eu-west-1", FIX_POOLER_USER),
          when(s -> hostMistake(s).equals("pooler-form"))),
      check(finding("supabase.host.unknown", ERROR, "A made-up Supabase host such as eu-west-1.supabase.co",
          "{host} is not a Supabase database host: those are db.<ref>.supabase.co (direct) and "
              + "aws-N-<region>.pooler.supabase.com (pooler)", "Copy the host from the dashboard's Connect dialog."),
          when(s -> hostMistake(s).equals("unknown"))),
      check(finding("supabase.host.direct-ref", WARNING, "db.<not a ref>.supabase.co",
          "{host} does not hold a 20-character project ref",
          "Check the host against the dashboard's Connect dialog."),
          when(s -> hostMistake(s).equals("direct-ref"))),
      check(finding("supabase.user.api-role", ERROR, "service_role, anon or authenticated as the database user",
          "'{user}' is an API role for the REST API's JWTs, not a database login",
          "Log in as postgres.{ref} on the pooler (postgres on db.{ref}.supabase.co); API keys go to "
              + "PostgrestClient.builder(...).apiKey(...)."),
          when(s -> userMistake(s).equals("api-role"))),
      check(finding("supabase.user.ref-only", ERROR, "The project ref alone as the pooler user",
          "The user '{user}' is the bare project ref", "Write postgres.{user}."),
          when(s -> userMistake(s).equals("ref-only"))),
      check(finding("supabase.user.db-prefix", ERROR, "postgres.db.<ref> as the pooler user",
          "The user '{user}' repeats db. from the direct host's name", "Write postgres.{ref}."),
          when(s -> userMistake(s).equals("db-prefix"))),
      check(finding("user.port", ERROR, "postgres.<ref>:6543 as the user",
          "The user '{user}' ends in a port number", "Put the port after the host ({host}:{userport}) and keep "
              + "the user {userbase}."),
          s -> userMistake(s).equals("port") ? List.of(Map.of("userport", s.user().substring(
              s.user().lastIndexOf(':') + 1), "userbase", s.user().substring(0, s.user().lastIndexOf(':'))))
              : List.of()),
      check(finding("supabase.pooler.user", ERROR, "postgres as the pooler user; FATAL: Tenant or user not found",
          "Supabase's pooler needs the user 'postgres.<project-ref>', but the string has '{user}'",
          FIX_POOLER_USER),
          when(s -> userMistake(s).equals("no-ref"))),
      check(finding("supabase.user.not-ref", ERROR, "postgres.<project name> as the pooler user",
          "'{suffix}' after the dot is not a project ref (20 lowercase letters or digits, as in "
              + "db.<ref>.supabase.co)", "Use postgres.<project-ref>: the project's ref, not its name."),
          s -> userMistake(s).equals("not-ref") ? List.of(Map.of("suffix", s.user().substring(
              s.user().indexOf('.') + 1))) : List.of()),
      check(finding("supabase.direct.user", ERROR, "postgres.<ref> on db.<ref>.supabase.co",
          "The direct host expects the user 'postgres', not '{user}'",
          "Use the user postgres on db.{ref}.supabase.co; postgres.{ref} is for the pooler."),
          when(s -> s.supabaseDirect() && s.port() == 5432 && s.user().contains(".")
              && !API_ROLES.contains(userBase(s)))),
      check(finding("supabase.direct.ipv6", WARNING, "db.<ref>.supabase.co from an IPv4-only network",
          "db.{ref}.supabase.co is Supabase's direct host, which may resolve to IPv6 only", FIX_IPV6),
          when(s -> s.supabaseDirect() && s.port() == 5432)),
      check(finding("supabase.direct.pooler", INFO, "db.<ref>.supabase.co:6543",
          "Port 6543 on db.{ref}.supabase.co is the dedicated pooler (PgBouncer) in transaction mode",
          FIX_TRANSACTION),
          when(s -> s.supabaseDirect() && s.port() == 6543)),
      check(finding("supabase.direct.port", ERROR, "db.<ref>.supabase.co with another port",
          "db.{ref}.supabase.co listens on 5432 (Postgres) and 6543 (the dedicated pooler), not {port}",
          "Use port 5432, or 6543 for the dedicated pooler in transaction mode."),
          when(s -> s.supabaseDirect() && s.port() != 5432 && s.port() != 6543)),
      check(finding("supabase.pooler.mode", INFO, "aws-N-<region>.pooler.supabase.com:6543",
          "Port 6543 is transaction mode: each transaction may run on a different server connection",
          FIX_TRANSACTION),
          when(s -> s.supabasePooler() && s.port() == 6543)),
      check(finding("supabase.pooler.session", INFO, "aws-N-<region>.pooler.supabase.com:5432",
          "Port 5432 on the pooler is session mode: each client connection holds a server connection",
          "Fine for a few long-lived clients; for many short ones use port 6543 (transaction mode)."),
          when(s -> s.supabasePooler() && s.port() == 5432)),
      check(finding("supabase.pooler.port", ERROR, "The pooler host with a port other than 6543 or 5432",
          "Supabase's pooler listens on 6543 (transaction mode) and 5432 (session mode), not {port}",
          "Use port 6543 or 5432."),
          when(s -> s.supabasePooler() && s.port() != 6543 && s.port() != 5432)),
      check(finding("supabase.database", WARNING, "A database other than postgres on Supabase",
          "The database is '{database}'", "Supabase's database is called postgres."),
          when(s -> (s.supabasePooler() || s.supabaseDirect()) && !s.database().equals("postgres"))),
      check(finding("neon.pooler", INFO, "ep-…-pooler.<region>.aws.neon.tech",
          "{host} is Neon's pooled endpoint: PgBouncer in transaction mode", FIX_TRANSACTION),
          when(Subject::neonPooler)),
      check(finding("neon.ssl", ERROR, "sslmode=disable on a Neon host", "Neon rejects connections without TLS",
          "Use sslmode=require (or verify-full)."),
          when(s -> s.neon() && s.sslMode().filter("disable"::equals).isPresent())),
      check(finding("rds.reader", WARNING, "<cluster>.cluster-ro-<id>.<region>.rds.amazonaws.com",
          "{host} is an Aurora reader endpoint: writes there fail (read-only transaction)",
          "Use the cluster (writer) endpoint <cluster>.cluster-<id>.<region>.rds.amazonaws.com for writes."),
          when(s -> s.rds() && s.host().contains(".cluster-ro-"))),
      check(finding("rds.ssl", WARNING, "sslmode=disable on an RDS host",
          "RDS for PostgreSQL 15 and later accepts only TLS connections by default (rds.force_ssl=1)",
          "Use sslmode=require, or verify-full with sslrootcert set to the RDS certificate bundle from AWS."),
          when(s -> s.rds() && s.sslMode().filter("disable"::equals).isPresent())),
      check(finding("azure.pgbouncer", INFO, "<server>.postgres.database.azure.com:6432",
          "Port 6432 on {host} is Azure's built-in PgBouncer", FIX_TRANSACTION),
          when(s -> s.azure() && s.port() == 6432)),
      check(finding("cloudsql.socket-factory", ERROR, "cloudSqlInstance=… without socketFactory",
          "cloudSqlInstance is set but socketFactory is not, so pgjdbc ignores it and connects to {host}",
          "Add socketFactory=com.google.cloud.sql.postgres.SocketFactory (and the postgres-socket-factory "
              + "dependency)."),
          when(s -> s.parameter("cloudSqlInstance").isPresent() && s.parameter("socketFactory").isEmpty())),
      check(finding("host.unix-socket", ERROR, "host=/cloudsql/<project:region:instance> or another socket path",
          "host={host} is a Unix-socket directory, which pgjdbc cannot connect to",
          "For Cloud SQL use the Cloud SQL Java connector (jdbc:postgresql:///<database>?cloudSqlInstance="
              + "<project:region:instance>&socketFactory=com.google.cloud.sql.postgres.SocketFactory) or the Cloud "
              + "SQL Auth Proxy on 127.0.0.1:5432; for a local server use host=localhost."),
          when(Subject::unixSocket)),
      check(finding("host.twice", ERROR, "postgresql://host-a/db?host=host-b",
          "The host is given twice: {first} in the URI and host={second} in the query, which overrides it",
          "Keep one of them; libpq and holdfast connect to host={second}."), note("host.twice")),
      check(finding("port.twice", ERROR, "postgresql://host:5432/db?port=6543",
          "The port is given twice and the two differ: {first} after the host and port={second} in the query",
          "Keep one of them; libpq and holdfast use port={second}."), note("port.twice")),
      check(finding("credentials.user-twice", ERROR, "postgresql://a:pw@host/db?user=b",
          "The user is given twice and the two differ: '{first}' before the @ and user={second} in the query",
          "Keep one of them; libpq and holdfast use user={second}."), note("credentials.user-twice")),
      check(finding("credentials.password-twice", ERROR, "postgresql://user:[YOUR-PASSWORD]@host/db?password=…",
          "The password is given twice, before the @ and as a query parameter, and the two differ",
          "Keep one of them; libpq and holdfast use the one in the query."), note("credentials.password-twice")),
      check(finding("database.twice", ERROR, "postgresql://host/a?dbname=b",
          "The database is given twice and the two differ: '{first}' in the path and dbname={second}",
          "Keep one of them; libpq and holdfast use dbname={second}."), note("database.twice")),
      check(finding("jdbc.semicolon-properties", WARNING, "jdbc:postgresql://host:5432/db;user=app;password=…",
          "The JDBC URL sets properties after ; as SQL Server URLs do; pgjdbc itself would read them as part of "
              + "the database name", "Write them as a query after ? joined by & (holdfast read them as properties and "
              + "masks the password)."), note("jdbc.semicolon-properties")),
      check(finding("uri.password-unencoded", WARNING, "postgresql://user:p@ss#1@host…",
          "The password has characters a URI reserves (one of @ : # [ ]) without percent-encoding; holdfast read "
              + "it, but other clients may not", FIX_ENCODE), note("uri.password-unencoded")),
      check(finding("pooler.prepared-statements", ERROR, "prepareThreshold=5 on port 6543",
          "{host}:{port} is a transaction-mode pooler, but the string sets prepareThreshold={value}",
          "Remove prepareThreshold or set it to 0; holdfast's own pools always use 0."),
          s -> s.transactionPooler() && !s.parameter("prepareThreshold").orElse("0").equals("0")
              ? List.of(Map.of("value", s.parameter("prepareThreshold").orElseThrow())) : List.of()),
      check(finding("pooler.startup-options", ERROR, "options=-c search_path=… or currentSchema=… on port 6543",
          "{param}= is sent as a startup parameter, which a transaction pooler rejects (PgBouncer: unsupported "
              + "startup parameter) or applies to a shared server connection (Supavisor)", FIX_STARTUP_OPTIONS),
          s -> s.transactionPooler() ? startupParameters(s) : List.of()),
      check(finding("pgbouncer.startup-options", WARNING, "options=… or currentSchema=… on port 6432",
          "{param}= is sent as a startup parameter; port 6432 is PgBouncer's, which refuses startup parameters it "
              + "does not track", FIX_STARTUP_OPTIONS),
          s -> !s.transactionPooler() && s.port() == 6432 ? startupParameters(s) : List.of()),
      check(finding("parameter.project", WARNING, "project_id=…, region=… in the query",
          "{param}= is not a connection parameter: the pooler finds the project from the user name",
          "Remove it and use the user postgres.<project-ref> with the pooler host from the Connect dialog."),
          parameters(Parameters.PROJECT::contains)),
      check(finding("parameter.prisma", WARNING, "schema=…, connection_limit=… copied from Prisma",
          "{param}= is a Prisma setting that pgjdbc ignores",
          "Name the schema in Table.builder(...).schema(...) and size the pool with "
              + "JdbcBackend.Builder.maximumPoolSize(...)."), parameters(Parameters.PRISMA::contains)),
      check(finding("parameter.libpq-only", WARNING, "keepalives_idle=…, sslcrl=… and other libpq-only settings",
          "{param} is a libpq setting that pgjdbc has no equivalent for, so it is ignored",
          "Remove it, or set the pgjdbc property that does the same."), parameters(Parameters.LIBPQ_ONLY::contains)),
      check(finding("parameter.unknown", WARNING, "A parameter no driver reads",
          "{param} is not a libpq or pgjdbc parameter, so it is ignored", "Remove it, or check its spelling."),
          parameters(p -> !Parameters.known(p) && !Parameters.PROJECT.contains(p) && !Parameters.PRISMA.contains(p)
              && !Parameters.LIBPQ_ONLY.contains(p))),
      check(finding("parameter.connect-timeout", ERROR, "connect_timeout=10s",
          "connect_timeout={value} is not a whole number of seconds",
          "Write connect_timeout=10 (seconds; 0 waits forever)."),
          s -> s.parameter("connect_timeout").filter(v -> !v.matches("\\d{1,6}"))
              .map(v -> List.of(Map.of("value", v))).orElse(List.of())),
      check(finding("parameter.connect-timeout-seconds", INFO, "connect_timeout=10",
          "connect_timeout={value} is libpq's, in seconds; holdfast passes it to pgjdbc as connectTimeout={value}",
          ""),
          s -> s.parameter("connect_timeout").filter(v -> v.matches("\\d{1,6}"))
              .map(v -> List.of(Map.of("value", v))).orElse(List.of())),
      check(finding("cluster.target-default", INFO, "A multi-host string (h1:5432,h2:5432) without "
              + "targetServerType", "{count} hosts and no targetServerType: holdfast connects to whichever of them "
              + "is the primary (targetServerType=primary), trying them in order",
          "To read from replicas too, add targetServerType=preferSecondary (libpq: "
              + "target_session_attrs=prefer-standby) or JdbcBackend.Builder.readReplicas(...)."),
          s -> clusterNote(s, t -> t.isEmpty())),
      check(finding("cluster.target-replicas", INFO, "targetServerType=preferSecondary (or secondary, standby, "
              + "read-only, prefer-standby) on a multi-host string",
          "targetServerType={target} on {count} hosts: holdfast sends writes to the primary "
              + "(targetServerType=primary) and reads to a second pool with targetServerType={target}",
          "Bound staleness with JdbcBackend.Builder.maxReplicaLag(...), and turn on readYourWrites(...) when a read "
              + "must see the caller's own writes."),
          s -> clusterNote(s, t -> Set.of("preferSecondary", "secondary", "standby", "read-only", "prefer-standby",
              "preferSlave", "slave").contains(t))),
      check(finding("cluster.target-any", WARNING, "targetServerType=any on a multi-host string",
          "targetServerType={target} on {count} hosts: a connection may reach a replica, where every write fails "
              + "(25006, read-only transaction)",
          "Use targetServerType=primary (libpq: target_session_attrs=read-write), or leave it out: holdfast then "
              + "chooses the primary."), s -> clusterNote(s, t -> t.equals("any"))),
      check(finding("ssl.mode-invalid", ERROR, "sslmode=no-verify, sslmode=true",
          "sslmode={value} is not a valid mode", "Use disable, allow, prefer, require, verify-ca or verify-full."),
          s -> s.sslMode().filter(m -> !Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
              .contains(m)).map(m -> List.of(Map.of("value", m))).orElse(List.of())),
      check(finding("ssl.mode", WARNING, "No sslmode, or sslmode=prefer, on a remote host",
          "sslmode is {value}: the connection silently falls back to plain text",
          "Set sslmode=require, or sslmode=verify-full with sslrootcert pointing at the server's CA certificate."),
          s -> !s.local() && s.sslMode().filter(m -> !m.equals("prefer") && !m.equals("allow")).isEmpty()
              ? List.of(Map.of("value", s.sslMode().map(m -> m).orElse("not set (pgjdbc defaults to prefer)")))
              : List.of()),
      check(finding("ssl.disabled", WARNING, "sslmode=disable on a remote host",
          "sslmode=disable sends the password and data in plain text over the network",
          "Use sslmode=require or verify-full."),
          when(s -> !s.local() && s.sslMode().filter("disable"::equals).isPresent() && !s.neon() && !s.rds())),
      check(finding("ssl.require", INFO, "sslmode=require",
          "sslmode=require encrypts the connection but does not check the server's certificate",
          "For a checked connection use sslmode=verify-full with sslrootcert=<CA file> (Supabase: download it "
              + "under Database settings, SSL configuration)."),
          when(s -> s.sslMode().filter("require"::equals).isPresent() && s.parameter("sslrootcert").isEmpty())),
      check(finding("ssl.rootcert-ignored", WARNING, "sslrootcert=… with sslmode=require",
          "sslrootcert is set, but with sslmode={value} pgjdbc does not check the certificate (libpq would)",
          "Set sslmode=verify-full to check the server against sslrootcert."),
          s -> s.parameter("sslrootcert").isPresent() && !s.sslMode().orElse("prefer").startsWith("verify")
              ? List.of(Map.of("value", s.sslMode().orElse("prefer"))) : List.of()),
      check(finding("ssl.rootcert-system", ERROR, "sslrootcert=system",
          "sslrootcert=system is libpq 16's way to trust the system's CAs; pgjdbc reads it as a file name",
          "Use sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory with sslmode=verify-full to trust the JVM's "
              + "CAs."), when(s -> s.parameter("sslrootcert").filter("system"::equals).isPresent())),
      check(finding("ssl.rootcert-missing", ERROR, "sslrootcert=<a file that is not there>",
          "sslrootcert={value} does not exist", "Point sslrootcert at the CA file, or use sslmode=require."),
          s -> s.parameter("sslrootcert").filter(p -> !p.equals("system") && !Files.exists(Path.of(p)))
              .map(p -> List.of(Map.of("value", p))).orElse(List.of())),
      check(finding("ssl.rootcert", INFO, "sslmode=verify-full without sslrootcert",
          "sslmode={value} without sslrootcert uses ~/.postgresql/root.crt",
          "Set sslrootcert to the CA file (Supabase: download it under Database settings, SSL configuration)."),
          s -> s.sslMode().filter(m -> m.startsWith("verify")).isPresent() && s.parameter("sslrootcert").isEmpty()
              ? List.of(Map.of("value", s.sslMode().orElseThrow())) : List.of()),
      check(finding("ssl.verify-ip", WARNING, "sslmode=verify-full with an IP address as the host",
          "sslmode=verify-full checks the certificate against the host name, and {host} is an IP address, which "
              + "certificates rarely list", "Connect by the host name the certificate names, or use "
              + "sslmode=verify-ca (chain only)."),
          when(s -> s.ipAddress() && s.sslMode().filter("verify-full"::equals).isPresent())),
      check(finding("auth.no-password", WARNING, "No password for a remote host",
          "No password is given", "Add the password (or rely on ~/.pgpass); percent-encode reserved characters in "
              + "URIs, such as @ as %40."),
          when(s -> !s.hasPassword() && !s.local())));

  // ---------------------------------------------------------------------------------------------------------
  // What the doctor's connect mode reports besides failures.
  // ---------------------------------------------------------------------------------------------------------

  public static final Rule CONNECTED = new Rule("connected", INFO, FINDING, "Doctor --connect succeeded",
      "Connected to PostgreSQL {version} in {millis} ms", "");
  public static final Rule IPV6_ONLY = new Rule("network.ipv6-only", WARNING, FINDING,
      "A host that resolves to IPv6 addresses only", "{host} has only IPv6 addresses",
      "If this network has no IPv6 route, connect through an IPv4 host instead (on Supabase the session pooler, "
          + "aws-N-<region>.pooler.supabase.com, port 5432, user postgres.<project-ref>).");
  public static final Rule CONNECTION_FAILED = new Rule("connection.failed", ERROR, CONFIGURATION,
      "Any other failure while connecting", "The connection failed",
      "Check the host, port, user, password and sslmode.");

  // ---------------------------------------------------------------------------------------------------------
  // Failures while connecting, as the server, a pooler, the driver or the network reports them. First match wins.
  // ---------------------------------------------------------------------------------------------------------

  static final List<FailureCheck> FAILURES = List.of(
      failure(new Rule("supabase.tenant-not-found", ERROR, CONFIGURATION, "FATAL: Tenant or user not found; "
              + "(ENOTFOUND) tenant/user … not found", "Supabase's pooler found no project for this user and host",
          FIX_POOLER_USER), f -> f.says("tenant or user not found") || f.says("(enotfound) tenant/user")),
      failure(new Rule("supabase.pooler-no-identifier", ERROR, CONFIGURATION, "(ENOIDENTIFIER) no tenant "
              + "identifier provided", "The user name does not say which project to connect to", FIX_POOLER_USER),
          f -> f.says("(enoidentifier)")),
      failure(new Rule("supabase.pooler-no-role", ERROR, CONFIGURATION, "There is no user '…' in the database; "
              + "(EAUTHQUERY) user not found in the database",
          "The pooler found the project but no database role with this name",
          "Use the role the dashboard shows (postgres.<project-ref> is the role postgres in project "
              + "<project-ref>), or create the role in the database."),
          f -> f.says("there is no user '") || f.says("user not found in the database")),
      failure(new Rule("supabase.pooler-user-format", ERROR, CONFIGURATION, "(EINVALIDUSERINFO) Invalid format "
              + "for user or db_name", "The pooler refuses the characters in the user or database name",
          "Use the user postgres.<project-ref> and the database postgres."), f -> f.says("(einvaliduserinfo)")),
      failure(new Rule("supabase.network-restrictions", ERROR, CONFIGURATION, "(EADDRNOTALLOWED) address not in "
              + "tenant allow_list", "The project's network restrictions do not allow this machine's address",
          "Add this machine's public IP address under Database settings, Network Restrictions."),
          f -> f.says("(eaddrnotallowed)") || f.says("address not in tenant allow_list")),
      failure(new Rule("supabase.max-clients", WARNING, TRANSIENT, "(EMAXCONN) max client connections reached; "
              + "max clients reached in session mode", "The pooler has as many clients as the project's plan allows",
          "Lower JdbcBackend.Builder.maximumPoolSize, or use transaction mode (port 6543), which shares server "
              + "connections."),
          f -> f.says("max client connections reached") || f.says("max clients reached in session mode")),
      failure(new Rule("pooler.startup-options", ERROR, CONFIGURATION, "FATAL: unsupported startup parameter: "
              + "options (or search_path)", "The pooler refuses the startup parameter {param}",
          FIX_STARTUP_OPTIONS), f -> f.says("unsupported startup parameter") || f.says("unsupported options startup")),
      failure(new Rule("pgbouncer.no-database", ERROR, CONFIGURATION, "FATAL: no such database: …",
          "PgBouncer has no database by this name in its [databases] section",
          "Use a database listed in PgBouncer's [databases] section (on Supabase: postgres)."), f -> f.says("no such database:")),
      failure(new Rule("pgbouncer.auth", ERROR, CONFIGURATION, "FATAL: \"trust\" authentication failed",
          "PgBouncer does not know this user",
          "Check the user name; PgBouncer accepts the users in its auth_file or auth_query."),
          f -> f.says("\"trust\" authentication failed")),
      failure(new Rule("auth.password", ERROR, CONFIGURATION, "FATAL: password authentication failed for user …"
              + " (28P01)", "The server refused the password",
          "Check the user and password (percent-encode reserved characters in URIs; on Supabase reset the database "
              + "password under Database settings)."),
          f -> f.state().equals("28P01") || f.says("password authentication failed")),
      failure(new Rule("auth.hba-ssl", ERROR, CONFIGURATION, "FATAL: no pg_hba.conf entry for host …, no "
              + "encryption (28000)", "The server accepts only encrypted connections from this address",
          "Set sslmode=require (or verify-full)."),
          f -> f.says("no pg_hba.conf entry") && (f.says("no encryption") || f.says("ssl off"))),
      failure(new Rule("auth.hba", ERROR, CONFIGURATION, "FATAL: no pg_hba.conf entry for host … (28000)",
          "The server has no rule that lets this address, user and database in",
          "Connect from an allowed network, or have a pg_hba.conf entry added for this address, user and database."),
          f -> f.says("no pg_hba.conf entry")),
      failure(new Rule("auth.role", ERROR, CONFIGURATION, "FATAL: role \"…\" does not exist (28000)",
          "The server has no role by this name",
          "Check the user name; on Supabase the direct host takes postgres and the pooler postgres.<project-ref>."),
          f -> f.state().startsWith("28") && f.says("does not exist")),
      failure(new Rule("auth.refused", ERROR, CONFIGURATION, "Any other login failure (28xxx)",
          "The server refused this login", "Check the user, the sslmode and the server's pg_hba.conf."),
          f -> f.state().startsWith("28")),
      failure(new Rule("database.unknown", ERROR, CONFIGURATION, "FATAL: database \"…\" does not exist (3D000)",
          "The server has no database by this name", "Check the database name (on Supabase it is postgres)."),
          f -> f.state().equals("3D000")),
      failure(new Rule("ssl.unsupported", ERROR, CONFIGURATION, "The server does not support SSL.",
          "The server (or the pooler in front of it) does not accept TLS connections",
          "Set sslmode=disable, on a trusted network only, or enable TLS on the server (PgBouncer: "
              + "client_tls_sslmode)."), f -> f.says("does not support ssl")),
      failure(new Rule("ssl.rootcert-unreadable", ERROR, CONFIGURATION, "Could not open SSL root certificate file …",
          "pgjdbc cannot read the CA file sslrootcert names (or ~/.postgresql/root.crt)",
          "Point sslrootcert at an existing CA file, or use sslmode=require."),
          f -> f.says("could not open ssl root certificate file")),
      failure(new Rule("ssl.hostname", ERROR, CONFIGURATION, "The hostname … could not be verified by "
              + "hostnameverifier …", "The server's certificate does not name the host connected to",
          "Connect by the host name the certificate names (not an IP address), or use sslmode=verify-ca."),
          f -> f.says("could not be verified by hostnameverifier") || f.says("no subject alternative")),
      failure(new Rule("ssl.certificate", ERROR, CONFIGURATION, "PKIX path building failed; self-signed "
              + "certificate in certificate chain", "The server's certificate is not trusted", FIX_TLS_CHAIN),
          f -> f.says("pkix") || f.says("self-signed") || f.says("self signed") || f.says("unable to find valid "
              + "certification path") || f.has(CertificateException.class) || f.has(CertPathValidatorException.class)),
      failure(new Rule("ssl.protocol", ERROR, CONFIGURATION, "An error occurred while setting up the SSL "
              + "connection.", "Something other than PostgreSQL answered on {address}",
          "Check the host and port: this port does not speak the PostgreSQL protocol (an HTTPS service or a "
              + "proxy)."), f -> f.says("an error occurred while setting up the ssl connection")
              && !f.has(java.io.IOException.class)),
      failure(new Rule("supabase.direct.unknown-host", ERROR, CONFIGURATION, "UnknownHostException: "
              + "db.<ref>.supabase.co", "The host name db.{ref}.supabase.co does not resolve here", FIX_IPV6),
          f -> f.has(UnknownHostException.class) && f.atSupabaseDirectHost()),
      failure(new Rule("network.unknown-host", ERROR, CONFIGURATION, "UnknownHostException",
          "The host name {host} does not resolve", "Check the host's spelling against the dashboard."),
          f -> f.has(UnknownHostException.class)),
      failure(new Rule("supabase.direct.unreachable", ERROR, CONFIGURATION, "Network is unreachable (connect "
              + "failed) to db.<ref>.supabase.co", "This network has no route to db.{ref}.supabase.co", FIX_IPV6),
          f -> f.atSupabaseDirectHost() && unreachable(f)),
      failure(new Rule("supabase.direct.timeout", WARNING, TRANSIENT, "Connect timed out to db.<ref>.supabase.co",
          "Connecting to db.{ref}.supabase.co timed out", FIX_IPV6),
          f -> f.atSupabaseDirectHost() && connectTimeout(f)),
      failure(new Rule("network.unreachable", WARNING, TRANSIENT, "No route to host; Network is unreachable",
          "No route to {address}", "If the host is IPv6-only, connect through an IPv4 host; otherwise check the "
              + "network and firewalls."), ConnectionRules::unreachable),
      failure(new Rule("network.refused", WARNING, TRANSIENT, "Connection refused",
          "Nothing accepted the connection at {address}",
          "Check that the server is running and listens on this host and port."),
          f -> f.has(ConnectException.class) || f.says("refused. check that the hostname")),
      failure(new Rule("network.timeout", WARNING, TRANSIENT, "Connect timed out; Connection attempt timed out.",
          "Connecting to {address} timed out", "Check the port (5432 direct or session, 6543 transaction), "
              + "firewalls and IP allow-lists (Supabase: Network Restrictions)."), ConnectionRules::connectTimeout),
      failure(new Rule("cluster.no-primary", WARNING, TRANSIENT, "Could not find a server with specified "
              + "targetServerType: primary", "None of {address} is a server of the role asked for: the cluster is "
              + "between primaries (a failover or switchover), or the hosts are all replicas",
          "Wait: holdfast retries within the policy; a failover takes a few seconds. If it persists, check that "
              + "the list holds the primary."),
          f -> f.says("could not find a server with specified targetservertype")),
      failure(new Rule("server.starting", WARNING, TRANSIENT, "FATAL: the database system is starting up (57P03)",
          "The server is starting, shutting down or recovering", "Wait: holdfast retries within the policy."),
          f -> f.state().equals("57P03")),
      failure(new Rule("server.too-many-clients", WARNING, TRANSIENT, "FATAL: sorry, too many clients already "
              + "(53300)", "The server has as many connections as max_connections allows",
          "Lower JdbcBackend.Builder.maximumPoolSize, or connect through a pooler (Supabase: port 6543)."),
          f -> f.state().equals("53300")));

  // ---------------------------------------------------------------------------------------------------------
  // How the rows are read.
  // ---------------------------------------------------------------------------------------------------------

  /** A check of a parsed string: the rule and, for each time it applies, the values for its message. */
  record Check(Rule rule, Function<Subject, List<Map<String, String>>> matches) {}

  /** A failure rule and whether it applies. */
  record FailureCheck(Rule rule, Predicate<FailureFacts> applies) {}

  /** A failure rule that applied, with the values for its message. */
  public record FailureMatch(Rule rule, Map<String, String> values) {
    public String message() {
      return rule.message(values);
    }

    public String fix() {
      return rule.fix(values);
    }
  }

  /** Every rule, in the order of this file: parser, checks, connect mode, failures. */
  public static List<Rule> all() {
    List<Rule> out = new ArrayList<>(List.of(EMPTY, SQLALCHEMY_SCHEME, JDBC_POSTGRES_SCHEME, OTHER_DATABASE,
        OTHER_SCHEME, API_URL, HTTP_URL, API_KEY, UNRECOGNISED, PASSWORD_RESERVED, PASSWORD_PERCENT, PERCENT_ESCAPE,
        PORT, PORT_RANGE, HOST, IPV6_BRACKET, KEY_VALUE, UNCLOSED_QUOTE, CONTROL_CHARACTERS));
    CHECKS.forEach(c -> out.add(c.rule()));
    out.addAll(List.of(CONNECTED, IPV6_ONLY));
    FAILURES.forEach(f -> out.add(f.rule()));
    out.add(CONNECTION_FAILED);
    return out;
  }

  /** The findings for a string that parses, in the order of this file. */
  public static List<Finding> check(Subject subject) {
    List<Finding> out = new ArrayList<>();
    for (Check c : CHECKS) {
      for (Map<String, String> values : c.matches().apply(subject)) {
        out.add(c.rule().finding(subject.values(values)));
      }
    }
    return out;
  }

  /** The first failure rule that applies to {@code facts}. */
  public static Optional<FailureMatch> match(FailureFacts facts) {
    return FAILURES.stream().filter(f -> f.applies().test(facts)).findFirst()
        .map(f -> new FailureMatch(f.rule(), facts.values()));
  }

  /** The README's troubleshooting table: one row per rule, word for word as the doctor says it. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder("| You see | Topic | Result | What it means | What to change |\n"
        + "|---|---|---|---|---|\n");
    for (Rule r : all()) {
      String result = r.outcome() == FINDING ? r.severity().name() : r.outcome().label();
      out.append("| ").append(cell(r.symptom())).append(" | `").append(r.topic()).append("` | ").append(result)
          .append(" | ").append(cell(Rule.fill(r.message(), Map.of()))).append(" | ")
          .append(cell(Rule.fill(r.fix(), Map.of()))).append(" |\n");
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers the rows use.
  // ---------------------------------------------------------------------------------------------------------

  private static Rule syntax(String topic, String symptom, String message, String fix) {
    return new Rule(topic, ERROR, INVALID_REQUEST, symptom, message, fix);
  }

  private static Rule finding(String topic, Severity severity, String symptom, String message, String fix) {
    return new Rule(topic, severity, FINDING, symptom, message, fix);
  }

  private static Check check(Rule rule, Function<Subject, List<Map<String, String>>> matches) {
    return new Check(rule, matches);
  }

  private static FailureCheck failure(Rule rule, Predicate<FailureFacts> applies) {
    return new FailureCheck(rule, applies);
  }

  private static Function<Subject, List<Map<String, String>>> when(Predicate<Subject> p) {
    return s -> p.test(s) ? List.of(Map.of()) : List.of();
  }

  private static Function<Subject, List<Map<String, String>>> note(String topic) {
    return s -> s.notes().stream().filter(n -> n.topic().equals(topic)).map(ParseNote::values).toList();
  }

  /** The multi-host note, when its target ({@code ""} when none was given) passes {@code target}. */
  private static List<Map<String, String>> clusterNote(Subject s, Predicate<String> target) {
    return s.notes().stream().filter(n -> n.topic().equals("cluster.hosts") && target.test(n.values().get("target")))
        .map(ParseNote::values).toList();
  }

  private static Function<Subject, List<Map<String, String>>> parameters(Predicate<String> p) {
    return s -> s.parameters().keySet().stream().filter(p).sorted().map(k -> Map.of("param", k)).toList();
  }

  private static List<Map<String, String>> startupParameters(Subject s) {
    return Stream.of("options", "currentSchema").filter(p -> s.parameter(p).filter(v -> !routingOnly(p, v))
        .isPresent()).map(p -> Map.of("param", p)).toList();
  }

  /**
   * options that only say which project to reach (Supavisor's reference=, Neon's endpoint= and project= for
   * clients without SNI): the pooler's front end reads them, and no setting reaches the server.
   */
  private static boolean routingOnly(String parameter, String value) {
    return parameter.equals("options") && value.strip().matches("(?:--)?(?:reference|endpoint|project)=[A-Za-z0-9-]+");
  }

  private static boolean unreachable(FailureFacts f) {
    return f.has(NoRouteToHostException.class) || f.says("network is unreachable");
  }

  private static boolean connectTimeout(FailureFacts f) {
    return f.cause(SocketTimeoutException.class).map(t -> String.valueOf(t.getMessage()).toLowerCase()
        .contains("connect")).orElse(false) || f.says("connection attempt timed out");
  }

  private static String userBase(Subject s) {
    int dot = s.user().indexOf('.');
    return dot < 0 ? s.user() : s.user().substring(0, dot);
  }

  /** Which Supabase host mistake {@code s} makes, or an empty string. */
  static String hostMistake(Subject s) {
    String h = s.host();
    if (s.supabasePooler() || s.supabaseDirect()) {
      return "";
    }
    if (h.matches("db\\." + Subject.REF)) {
      return "no-domain";
    }
    if (!s.supabase()) {
      return "";
    }
    if (s.supabaseApi()) {
      return "api";
    }
    if (h.equals("db.supabase.co")) {
      return "no-ref";
    }
    if (h.matches(Subject.REF + "\\.pooler\\.supabase\\.com")) {
      return "pooler-ref";
    }
    if (h.endsWith(".pooler.supabase.co") || h.matches("db\\." + Subject.REF + "\\.supabase\\.com")) {
      return "domain";
    }
    if (h.endsWith(".pooler.supabase.com") || h.equals("pooler.supabase.com")) {
      return "pooler-form";
    }
    if (h.matches("db\\.[a-z0-9-]+\\.supabase\\.co")) {
      return "direct-ref";
    }
    return "unknown";
  }

  private static String swapDomain(String host) {
    return host.endsWith(".pooler.supabase.co") ? host + "m" : host.substring(0, host.length() - 1);
  }

  /** Which Supabase user mistake {@code s} makes, or an empty string. */
  static String userMistake(Subject s) {
    String user = s.user();
    if (user.matches(".+:\\d{2,5}")) {
      return "port";
    }
    if (!s.supabase() || user.isEmpty() && !s.supabasePooler()) {
      return "";
    }
    if (API_ROLES.contains(userBase(s))) {
      return "api-role";
    }
    if (!s.supabasePooler()) {
      return "";
    }
    if (user.matches(Subject.REF)) {
      return "ref-only";
    }
    if (user.startsWith("postgres.db.")) {
      return "db-prefix";
    }
    if (!user.contains(".")) {
      // Supavisor also takes the ref from options=reference=<ref>, for clients that cannot send it in the user.
      return s.parameter("options").filter(o -> o.strip().matches("(?:--)?reference=" + Subject.REF)).isPresent()
          ? "" : "no-ref";
    }
    return user.substring(user.lastIndexOf('.') + 1).matches(Subject.REF) ? "" : "not-ref";
  }
}
