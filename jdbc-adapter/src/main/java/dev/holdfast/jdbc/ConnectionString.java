package dev.holdfast.jdbc;

import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Secrets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * <p>Parsing never connects. {@link #toString()} and every error message mask the password. Immutable and
 * thread-safe.
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

  private final Format format;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;

  private ConnectionString(Format format, String host, int port, String database, String user, String password,
      Map<String, String> parameters) {
    this.format = format;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * Parses {@code text}.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidRequestException if it is not a connection string; the message shows it with the password
   *     masked
   */
  public static ConnectionString parse(String text) {
    Objects.requireNonNull(text, "connection string");
    String s = text.strip();
    if (s.isEmpty()) {
      throw invalid(text, "is empty", "Pass a postgresql:// URI, a jdbc:postgresql:// URL or host=... key=value pairs.");
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql://")) {
      return parseUri(text, s.substring("jdbc:postgresql://".length()), Format.JDBC_URL);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return parseUri(text, s.substring(s.indexOf("://") + 3), Format.URI);
    }
    if (lower.startsWith("jdbc:")) {
      throw invalid(text, "is a JDBC URL for another database", "Use a jdbc:postgresql:// URL.");
    }
    if (s.contains("=")) {
      return parseKeyValue(text, s);
    }
    // Not a form we know, so we cannot tell where a password would be: show none of it.
    throw new InvalidRequestException("The connection string (" + s.length() + " characters) is not a "
        + "postgresql:// URI, a jdbc:postgresql:// URL or libpq key=value pairs", ErrorDetails.of("jdbc")
        .withHint("Copy the connection string again from the database's dashboard."), null);
  }

  private static ConnectionString parseUri(String original, String rest, Format format) {
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String database = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      database = decode(original, rest.substring(slash + 1));
      rest = rest.substring(0, slash);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(original, colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      password = colon >= 0 ? decode(original, userInfo.substring(colon + 1)) : null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(original, eq >= 0 ? pair.substring(0, eq) : pair);
      String value = eq >= 0 ? decode(original, pair.substring(eq + 1)) : "";
      params.put(key, value);
    }
    user = firstNonEmpty(params.remove("user"), user);
    password = firstNonEmpty(params.remove("password"), password);
    database = firstNonEmpty(params.remove("dbname"), database);
    HostPort hp = hostPort(original, rest, params.remove("port"));
    return build(original, format, hp, database, user, password, params);
  }

  private static ConnectionString parseKeyValue(String original, String s) {
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
      if (eq < 0) {
        throw invalid(original, "has a key without '=' near '" + mask(s.substring(i)) + "'",
            "Write key=value pairs separated by spaces; quote values containing spaces with single quotes.");
      }
      String key = s.substring(i, eq).strip();
      if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
        throw invalid(original, "has a malformed key near position " + i,
            "Write key=value pairs separated by spaces.");
      }
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
          throw invalid(original, "has an unterminated quoted value for '" + key + "'",
              "Close the value with a single quote; escape quotes inside it as \\'.");
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
    String host = params.remove("host");
    if (host == null) {
      host = params.remove("hostaddr");
    }
    String user = params.remove("user");
    String password = params.remove("password");
    String database = params.remove("dbname");
    HostPort hp = hostPort(original, host == null ? "" : host, params.remove("port"));
    return build(original, Format.KEY_VALUE, hp, database, user, password, params);
  }

  private record HostPort(String host, int port) {}

  private static HostPort hostPort(String original, String hostPart, String portParam) {
    String host = hostPart;
    String port = portParam;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw invalid(original, "has an unclosed IPv6 address", "Write IPv6 hosts as [2001:db8::1]:5432.");
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
    if (host.isEmpty()) {
      host = "localhost";
    }
    if (!host.matches("[A-Za-z0-9._:%,-]+")) {
      throw invalid(original, "has an invalid host '" + mask(host) + "'", "Check the host name for stray characters.");
    }
    int p = 5432;
    if (port != null && !port.isEmpty()) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw invalid(original, "has a port that is not a number: '" + mask(port) + "'",
            "Use a port such as 5432 (direct or session pooler) or 6543 (transaction pooler).");
      }
      if (p < 1 || p > 65535) {
        throw invalid(original, "has a port out of range: " + p, "Use a port between 1 and 65535.");
      }
    }
    return new HostPort(host, p);
  }

  private static ConnectionString build(String original, Format format, HostPort hp, String database, String user,
      String password, Map<String, String> params) {
    if (database != null && database.isEmpty()) {
      database = null;
    }
    if (database == null) {
      // libpq's default: the database named like the user.
      database = user != null && !user.isEmpty() ? user : "postgres";
    }
    if (database.chars().anyMatch(c -> c < 0x20)) {
      throw invalid(original, "has control characters in the database name", "Check the database name.");
    }
    return new ConnectionString(format, hp.host(), hp.port(), database, emptyToNull(user), password, params);
  }

  private static String decode(String original, String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(original, "has a malformed %-escape", "Percent-encode special characters in the password, "
          + "such as @ as %40 and % as %25.");
    }
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String mask(String fragment) {
    return Secrets.redact(fragment);
  }

  private static InvalidRequestException invalid(String original, String problem, String hint) {
    return new InvalidRequestException("The connection string '" + maskWhole(original) + "' " + problem,
        ErrorDetails.of("jdbc").withHint(hint), null);
  }

  /** Masks a string that failed to parse: the usual redaction, plus everything after a user's colon. */
  static String maskWhole(String original) {
    String out = Secrets.redact(original);
    // A malformed URI may not match the redaction patterns: hide whatever sits between "user:" and "@".
    out = out.replaceAll("(//[^/@\\s]*?:)[^@\\s]*(@)", "$1" + Secrets.MASK + "$2");
    // An unterminated quoted password runs to the end of the string.
    return out.replaceAll("(?i)(password\\s*=\\s*)'.*$", "$1" + Secrets.MASK);
  }

  /** The form the string was written in. */
  public Format format() {
    return format;
  }

  /** The host, {@code localhost} when none was given. */
  public String host() {
    return host;
  }

  /** The port, 5432 when none was given. */
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
    String h = host.contains(":") && !host.contains(",") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + urlEncode(database);
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
    out.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(database);
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
    return o instanceof ConnectionString c && c.host.equals(host) && c.port == port && c.database.equals(database)
        && Objects.equals(c.user, user) && Objects.equals(c.password, password) && c.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, database, user, parameters);
  }
}
