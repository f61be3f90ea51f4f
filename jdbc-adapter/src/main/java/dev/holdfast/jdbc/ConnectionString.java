package dev.holdfast.jdbc;

import dev.holdfast.InvalidRequestException;
import dev.holdfast.Secrets;
import dev.holdfast.jdbc.internal.ConnectionRules;
import dev.holdfast.jdbc.internal.Parameters;
import dev.holdfast.jdbc.internal.ParseNote;
import dev.holdfast.jdbc.internal.Problem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection string, parsed from any of the three forms people copy from dashboards and docs:
 *
 * <ul>
 *   <li>a JDBC URL: {@code jdbc:postgresql://host:5432/db?user=app&password=...&sslmode=require};</li>
 *   <li>a libpq URI, as Supabase's dashboard gives it:
 *       {@code postgresql://postgres.abcd:secret@aws-0-eu-west-1.pooler.supabase.com:6543/postgres};</li>
 *   <li>libpq key=value: {@code host=localhost port=5432 dbname=app user=app password='it''s'}.</li>
 * </ul>
 *
 * <p>As in libpq, query parameters {@code user}, {@code password}, {@code dbname}, {@code host} and {@code port}
 * override the parts before them; {@link ConnectionDoctor} reports when the two disagree. Parsing never
 * connects. {@link #toString()} masks the password, and an error message never quotes any part of the string,
 * because a string that does not parse may hold its password anywhere. Immutable and thread-safe.
 *
 * <pre>{@code
 * ConnectionString cs = ConnectionString.parse(System.getenv("DATABASE_URL"));
 * cs.host();       // aws-0-eu-west-1.pooler.supabase.com
 * cs.toString();   // postgresql://postgres.abcd:****@aws-0-eu-west-1.pooler.supabase.com:6543/postgres
 * }</pre>
 */
public final class ConnectionString {
  /** The form the string was written in. */
  public enum Format { JDBC_URL, URI, KEY_VALUE }

  private static final Pattern DIALECT = Pattern.compile("(?i)^(postgres(?:ql)?)\\+([a-z0-9_]+)://");
  private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*)://");
  private static final Pattern SUPABASE_API = Pattern.compile("([a-z0-9]{20})\\.supabase\\.co");
  private static final Pattern KEY_LIKE = Pattern.compile(
      "eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*|sb_(?:secret|publishable)_\\S+");
  private static final Set<String> KNOWN_DRIVERS = Set.of("mysql", "mariadb", "sqlserver", "oracle", "h2",
      "hsqldb", "sqlite", "db2", "derby", "redshift", "snowflake", "clickhouse");
  private static final Set<String> KNOWN_SCHEMES = Set.of("mysql", "mariadb", "mongodb", "mongodb+srv", "redis",
      "rediss", "sqlserver", "mssql", "amqp", "amqps", "ftp", "file");

  private static final Set<String> LIBPQ_KEYWORDS = Set.of("host", "hostaddr", "port", "dbname", "user",
      "password");

  private final Format format;
  private final List<Host> hosts;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;
  private final List<ParseNote> notes;

  /**
   * One server of the string's host list.
   *
   * @param name a host name, an IP address (IPv6 without brackets) or a Unix socket directory
   * @param port its port, 5432 when none was given
   */
  public record Host(String name, int port) {
    /** {@code name:port}, with brackets around an IPv6 address. */
    @Override
    public String toString() {
      return (name.contains(":") && !name.startsWith("/") ? "[" + name + "]" : name) + ":" + port;
    }
  }

  private ConnectionString(Format format, List<Host> hosts, String database, String user, String password,
      Map<String, String> parameters, List<ParseNote> notes) {
    this.format = format;
    this.hosts = List.copyOf(hosts);
    this.host = hosts.get(0).name();
    this.port = hosts.get(0).port();
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.notes = List.copyOf(notes);
  }

  /**
   * Parses {@code text}.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidRequestException if it is not a connection string; the message says which part is wrong
   *     without quoting any of it
   */
  public static ConnectionString parse(String text) {
    Read read = read(text);
    if (!read.problems().isEmpty()) {
      throw read.problems().get(0).exception();
    }
    return read.connectionString();
  }

  /**
   * What reading {@code text} found: the connection string, when its parts could be read (even from a scheme that
   * {@link #parse} refuses, such as SQLAlchemy's {@code postgresql+asyncpg://}), and the problems that make
   * {@link #parse} refuse it.
   */
  record Read(ConnectionString connectionString, List<Problem> problems) {}

  static Read read(String text) {
    Objects.requireNonNull(text, "connection string");
    String s = text.strip();
    try {
      return readStripped(s);
    } catch (Unreadable e) {
      return new Read(null, List.of(e.problem));
    }
  }

  private static Read readStripped(String s) {
    if (s.isEmpty()) {
      throw new Unreadable(Problem.of(ConnectionRules.EMPTY));
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql://")) {
      return new Read(parseUri(s.substring("jdbc:postgresql://".length()), Format.JDBC_URL), List.of());
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      // pgjdbc's short form jdbc:postgresql:database, on localhost.
      return new Read(parseUri("/" + s.substring("jdbc:postgresql:".length()), Format.JDBC_URL), List.of());
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return new Read(parseUri(s.substring(s.indexOf("://") + 3), Format.URI), List.of());
    }
    Matcher dialect = DIALECT.matcher(s);
    if (dialect.find()) {
      ConnectionString cs = parseUri(s.substring(dialect.end()), Format.URI);
      return new Read(cs, List.of(new Problem(ConnectionRules.SQLALCHEMY_SCHEME, Map.of(
          "scheme", dialect.group(1).toLowerCase(Locale.ROOT) + "+" + dialect.group(2).toLowerCase(Locale.ROOT),
          "driver", dialect.group(2).toLowerCase(Locale.ROOT), "plain", cs.toString(), "jdbc", cs.toJdbcUrl()))));
    }
    if (lower.startsWith("jdbc:postgres://")) {
      ConnectionString cs = parseUri(s.substring("jdbc:postgres://".length()), Format.JDBC_URL);
      return new Read(cs, List.of(new Problem(ConnectionRules.JDBC_POSTGRES_SCHEME, Map.of("plain",
          cs.toString()))));
    }
    if (lower.startsWith("jdbc:")) {
      String rest = lower.substring(5);
      String driver = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
      throw new Unreadable(new Problem(ConnectionRules.OTHER_DATABASE, Map.of("driver",
          KNOWN_DRIVERS.contains(driver) ? driver : "another database")));
    }
    Matcher scheme = SCHEME.matcher(lower);
    if (scheme.find()) {
      if (scheme.group(1).equals("https") || scheme.group(1).equals("http")) {
        String authority = lower.substring(scheme.end()).split("[/?#]", 2)[0];
        String host = authority.substring(authority.lastIndexOf('@') + 1).split(":", 2)[0];
        Matcher api = SUPABASE_API.matcher(host);
        throw new Unreadable(api.matches() ? new Problem(ConnectionRules.API_URL, Map.of("ref", api.group(1)))
            : Problem.of(ConnectionRules.HTTP_URL));
      }
      throw new Unreadable(new Problem(ConnectionRules.OTHER_SCHEME, Map.of("scheme",
          KNOWN_SCHEMES.contains(scheme.group(1)) ? scheme.group(1) : "non-PostgreSQL")));
    }
    if (KEY_LIKE.matcher(s).matches()) {
      throw new Unreadable(new Problem(ConnectionRules.API_KEY, Map.of("length", String.valueOf(s.length()))));
    }
    if (s.contains("=")) {
      return new Read(parseKeyValue(s), List.of());
    }
    // Not a form we know, so we cannot tell where a password would be: show none of it.
    throw new Unreadable(new Problem(ConnectionRules.UNRECOGNISED, Map.of("length", String.valueOf(s.length()))));
  }

  /** A description of {@code text} that quotes none of it, for reports about a string that does not parse. */
  static String describe(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    String kind = lower.startsWith("jdbc:") ? "a JDBC URL" : lower.startsWith("postgres") ? "a PostgreSQL URI"
        : SCHEME.matcher(lower).find() ? "a URL" : lower.contains("=") ? "key=value text" : "text";
    return "(" + kind + " of " + text.strip().length() + " characters that does not parse; not shown)";
  }

  private static ConnectionString parseUri(String text, Format format) {
    List<ParseNote> notes = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    String rest = text;
    int delim = indexOfAny(rest, "/?");
    if (format == Format.JDBC_URL && delim >= 0) {
      // SQL Server style properties (db;user=app;password=...): read them as the properties they were meant to
      // be. Each value ends at the next ;, so a / or ? in a password stays in it.
      String path = rest.substring(delim);
      int semi = path.indexOf(';');
      int question = path.indexOf('?');
      if (semi >= 0 && (question < 0 || semi < question) && path.substring(semi).contains("=")) {
        for (String pair : path.substring(semi + 1).split(";")) {
          putPair(params, pair);
        }
        rest = rest.substring(0, delim) + path.substring(0, semi);
        notes.add(ParseNote.of("jdbc.semicolon-properties"));
      }
    }
    String authority = delim < 0 ? rest : rest.substring(0, delim);
    int lastAt = rest.lastIndexOf('@');
    if (!authority.contains("@") && delim >= 0 && lastAt > delim) {
      // An @ after the first / or ? usually means the password holds an unencoded / or ?, which ended the
      // authority early; unless it sits in a query value such as ?user=me@corp.
      String between = rest.substring(delim, lastAt);
      boolean portIsText = !authority.startsWith("[") && authority.contains(":")
          && !authority.substring(authority.lastIndexOf(':') + 1).matches("\\d*");
      if (portIsText || !between.contains("=")) {
        throw new Unreadable(Problem.of(ConnectionRules.PASSWORD_RESERVED));
      }
    }
    String afterAuthority = delim < 0 ? "" : rest.substring(delim);
    String query = "";
    int q = afterAuthority.indexOf('?');
    if (q >= 0) {
      query = afterAuthority.substring(q + 1);
      afterAuthority = afterAuthority.substring(0, q);
    }
    String rawDatabase = afterAuthority.startsWith("/") ? afterAuthority.substring(1) : afterAuthority;
    if (rawDatabase.contains("@")) {
      throw new Unreadable(Problem.of(ConnectionRules.PASSWORD_RESERVED));
    }
    String database = decode(rawDatabase, false);
    String user = null;
    String password = null;
    String hostPart = authority;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPart = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, false);
      if (colon >= 0) {
        String rawPassword = userInfo.substring(colon + 1);
        password = decode(rawPassword, true);
        if (indexOfAny(rawPassword, "@:#[]") >= 0) {
          notes.add(ParseNote.of("uri.password-unencoded"));
        }
      }
    }
    String previous = "";
    for (String pair : query.split("&")) {
      if (previous.startsWith("password=") && !pair.isEmpty() && !pair.contains("=")) {
        // password=ab&cd: the password holds an unencoded &, and its rest became a parameter's name.
        throw new Unreadable(Problem.of(ConnectionRules.PASSWORD_RESERVED));
      }
      putPair(params, pair);
      previous = pair;
    }
    String queryUser = emptyToNull(params.remove("user"));
    if (queryUser != null && user != null && !user.isEmpty() && !user.equals(queryUser)) {
      notes.add(new ParseNote("credentials.user-twice", Map.of("first", user, "second", queryUser)));
    }
    String queryPassword = emptyToNull(params.remove("password"));
    if (queryPassword != null && password != null && !password.isEmpty() && !password.equals(queryPassword)) {
      notes.add(ParseNote.of("credentials.password-twice"));
    }
    String queryDatabase = emptyToNull(params.remove("dbname"));
    if (queryDatabase != null && !database.isEmpty() && !database.equals(queryDatabase)) {
      notes.add(new ParseNote("database.twice", Map.of("first", database, "second", queryDatabase)));
    }
    String queryHost = emptyToNull(params.remove("host"));
    String hostAddress = emptyToNull(params.remove("hostaddr"));
    queryHost = queryHost != null ? queryHost : hostAddress;
    String queryPort = emptyToNull(params.remove("port"));
    List<HostPort> hps;
    if (queryHost != null && queryHost.contains(",") || queryPort != null && queryPort.contains(",")) {
      // libpq's host=h1,h2&port=p1,p2 in the query: the lists replace the authority's hosts.
      hps = hostList(queryHost != null ? queryHost : hostPart.isEmpty() ? "localhost" : hostPart, queryPort);
    } else {
      // A multi-host authority, h1:p1,h2:p2 (pgjdbc and libpq); a single host is the common case of it.
      hps = new ArrayList<>();
      for (String one : hostPart.split(",", -1)) {
        hps.add(hostPort(one, null));
      }
      HostPort hp = hps.get(0);
      if (queryHost != null) {
        if (!hostPart.isEmpty() && !hp.host().equalsIgnoreCase(queryHost)) {
          notes.add(new ParseNote("host.twice", Map.of("first", hp.host(), "second", queryHost)));
        }
        hp = new HostPort(checkedHost(queryHost), hp.port(), hp.portGiven());
      }
      if (queryPort != null) {
        int p = port(queryPort);
        if (hp.portGiven() && p != hp.port()) {
          notes.add(new ParseNote("port.twice", Map.of("first", String.valueOf(hp.port()), "second",
              String.valueOf(p))));
        }
        hp = new HostPort(hp.host(), p, true);
      }
      hps.set(0, hp);
    }
    return build(format, hps, firstNonEmpty(queryDatabase, database), firstNonEmpty(queryUser, user),
        firstNonEmpty(queryPassword, password), params, notes);
  }

  private static void putPair(Map<String, String> params, String pair) {
    if (pair.isEmpty()) {
      return;
    }
    int eq = pair.indexOf('=');
    String key = decode(eq >= 0 ? pair.substring(0, eq) : pair, false);
    String value = eq >= 0 ? decode(pair.substring(eq + 1), key.equals("password")) : "";
    params.put(key, value);
  }

  private static ConnectionString parseKeyValue(String s) {
    Map<String, String> params = new LinkedHashMap<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= s.length()) {
        break;
      }
      int eq = s.indexOf('=', i);
      int space = i;
      while (space < s.length() && !Character.isWhitespace(s.charAt(space)) && s.charAt(space) != '=') {
        space++;
      }
      if (eq < 0 || (space < eq && s.substring(space, eq).strip().length() > 0) || space == i) {
        throw new Unreadable(new Problem(ConnectionRules.KEY_VALUE, Map.of("position", String.valueOf(i + 1))));
      }
      String key = s.substring(i, eq).strip();
      i = eq + 1;
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '\'') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '\\' && i < s.length()) {
            value.append(s.charAt(i++));
          } else if (c == '\'') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw new Unreadable(Problem.of(ConnectionRules.UNCLOSED_QUOTE));
        }
      } else {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          char c = s.charAt(i++);
          if (c == '\\' && i < s.length()) {
            c = s.charAt(i++);
          }
          value.append(c);
        }
      }
      params.put(key, value.toString());
    }
    if (params.keySet().stream().noneMatch(k -> LIBPQ_KEYWORDS.contains(k) || Parameters.known(k))) {
      // Text with an = in it but no connection keyword, such as a pasted password: show none of it.
      throw new Unreadable(new Problem(ConnectionRules.UNRECOGNISED, Map.of("length",
          String.valueOf(s.length()))));
    }
    String host = params.remove("host");
    String hostAddress = params.remove("hostaddr");
    host = host != null ? host : hostAddress;
    String user = params.remove("user");
    String password = params.remove("password");
    String database = params.remove("dbname");
    List<HostPort> hps = hostList(host == null ? "" : host, params.remove("port"));
    return build(Format.KEY_VALUE, hps, database, user, password, params, List.of());
  }

  private record HostPort(String host, int port, boolean portGiven) {
    HostPort(String host, int port) {
      this(host, port, true);
    }
  }

  /**
   * libpq's {@code host=h1,h2 port=p1,p2}: one port for every host, or one per host; a host may also carry its
   * own, as in {@code h1:5433,h2}.
   */
  private static List<HostPort> hostList(String hostText, String portText) {
    String[] names = hostText.split(",", -1);
    String[] ports = portText == null ? new String[0] : portText.split(",", -1);
    if (ports.length > 1 && ports.length != names.length) {
      throw new Unreadable(Problem.of(ConnectionRules.PORT));
    }
    List<HostPort> out = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      String p = ports.length == 0 ? null : ports.length == 1 ? ports[0] : ports[i];
      HostPort own = hostPort(names[i], null);
      out.add(own.portGiven() || p == null || p.isEmpty() ? own : new HostPort(own.host(), port(p), true));
    }
    return out;
  }

  private static HostPort hostPort(String hostPart, String portParam) {
    String host = hostPart;
    String port = portParam;
    if (host.startsWith("/")) {
      return new HostPort(checkedHost(host), port == null || port.isEmpty() ? 5432 : port(port), port != null);
    }
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new Unreadable(Problem.of(ConnectionRules.IPV6_BRACKET));
      }
      String after = host.substring(close + 1);
      host = host.substring(1, close);
      if (after.startsWith(":")) {
        port = after.substring(1);
      }
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        port = host.substring(colon + 1);
        host = host.substring(0, colon);
      }
    }
    host = checkedHost(decode(host, false));
    boolean given = port != null && !port.isEmpty();
    return new HostPort(host, given ? port(port) : 5432, given);
  }

  private static String checkedHost(String host) {
    if (host.isEmpty()) {
      return "localhost";
    }
    if (host.startsWith("/") ? host.chars().anyMatch(c -> c < 0x20 || c == ' ')
        : !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new Unreadable(Problem.of(ConnectionRules.HOST));
    }
    return host;
  }

  private static int port(String port) {
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new Unreadable(Problem.of(ConnectionRules.PORT));
    }
    if (p < 1 || p > 65535) {
      throw new Unreadable(Problem.of(ConnectionRules.PORT_RANGE));
    }
    return p;
  }

  private static ConnectionString build(Format format, List<HostPort> hps, String database, String user,
      String password, Map<String, String> params, List<ParseNote> notes) {
    if (database != null && database.isEmpty()) {
      database = null;
    }
    if (database == null) {
      // libpq's default: the database named like the user.
      database = user != null && !user.isEmpty() ? user : "postgres";
    }
    if (database.chars().anyMatch(c -> c < 0x20)) {
      throw new Unreadable(Problem.of(ConnectionRules.CONTROL_CHARACTERS));
    }
    List<Host> hosts = hps.stream().map(h -> new Host(h.host(), h.port())).toList();
    List<ParseNote> all = notes;
    if (hosts.size() > 1) {
      all = new ArrayList<>(notes);
      String target = params.getOrDefault("targetServerType", params.get("target_session_attrs"));
      all.add(new ParseNote("cluster.hosts", Map.of("count", String.valueOf(hosts.size()), "target",
          target == null ? "" : target)));
    }
    return new ConnectionString(format, hosts, database, emptyToNull(user), password, params, all);
  }

  private static String decode(String s, boolean password) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(Problem.of(password ? ConnectionRules.PASSWORD_PERCENT : ConnectionRules.PERCENT_ESCAPE));
    }
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A string the parser cannot read; carries the rule that says why. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Unreadable(Problem problem) {
      super(problem.rule().topic(), null, false, false);
      this.problem = problem;
    }
  }

  /** A copy with {@code name} set to {@code value}, as a builder's sslMode or sslRootCert sets it. */
  ConnectionString withParameter(String name, String value) {
    Map<String, String> p = new LinkedHashMap<>(parameters);
    p.put(name, value);
    return new ConnectionString(format, hosts, database, user, password, p, notes);
  }

  /** What the parser noticed in a string it could still read; the doctor reports it. */
  List<ParseNote> notes() {
    return notes;
  }

  /** The form the string was written in. */
  public Format format() {
    return format;
  }

  /**
   * Every host of the string, in order: one for most strings, several for a cluster's multi-host string
   * ({@code h1:5432,h2:5432}, libpq's {@code host=h1,h2 port=5432,5433}).
   */
  public List<Host> hosts() {
    return hosts;
  }

  /** The host, {@code localhost} when none was given; the first one of a multi-host string. */
  public String host() {
    return host;
  }

  /** The port, 5432 when none was given; the first host's for a multi-host string. */
  public int port() {
    return port;
  }

  /** The database name (libpq's default: the user's name). */
  public String database() {
    return database;
  }

  /** The user, when given. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The password, when given. Never printed by this class. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The other parameters (sslmode, sslrootcert, connect_timeout, ...), as written. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A parameter's value, when present. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  /** The sslmode, when given ({@code disable}, {@code require}, {@code verify-full}, ...). */
  public Optional<String> sslMode() {
    return parameter("sslmode");
  }

  /** The pgjdbc URL for this connection, without user and password (pass those as properties). */
  public String toJdbcUrl() {
    return "jdbc:postgresql://" + hostList() + "/" + urlEncode(database);
  }

  /** {@code h1:p1,h2:p2}, as pgjdbc and libpq URIs write it. */
  String hostList() {
    return String.join(",", hosts.stream().map(Host::toString).toList());
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A libpq URI for this connection with the password masked. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("postgresql://");
    if (user != null) {
      out.append(user);
      if (password != null) {
        out.append(':').append(Secrets.MASK);
      }
      out.append('@');
    }
    out.append(hostList()).append('/').append(database);
    String sep = "?";
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      out.append(sep).append(e.getKey()).append('=').append(Secrets.redact(e.getKey() + "=" + e.getValue())
          .substring(e.getKey().length() + 1));
      sep = "&";
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionString c && c.hosts.equals(hosts) && c.database.equals(database)
        && Objects.equals(c.user, user) && Objects.equals(c.password, password) && c.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hosts, database, user, parameters);
  }
}
