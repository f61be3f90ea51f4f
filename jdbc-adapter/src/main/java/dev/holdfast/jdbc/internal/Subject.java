package dev.holdfast.jdbc.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link ConnectionRules} look at in one parsed connection string: its parts, what the parser noticed, and
 * which provider's host forms it matches. The password is kept only to make sure no value shown to a person
 * contains a part of it; {@link #toString()} never shows it. Internal; immutable and thread-safe.
 */
public final class Subject {
  /** A Supabase project ref: 20 lowercase letters or digits. */
  static final String REF = "[a-z0-9]{20}";
  private static final String REGION = "[a-z]{2}(?:-gov)?-[a-z]+-\\d";
  private static final Pattern POOLER = Pattern.compile("aws-\\d+-" + REGION + "\\.pooler\\.supabase\\.com");
  private static final Pattern DIRECT = Pattern.compile("db\\.(" + REF + ")\\.supabase\\.co");
  private static final Pattern API = Pattern.compile("(" + REF + ")\\.supabase\\.co");
  private static final Pattern NEON = Pattern.compile("ep-[a-z0-9-]+\\.[a-z0-9-]+\\.(?:aws|azure)\\.neon\\.tech");
  private static final Pattern RDS = Pattern.compile(".+\\.rds\\.amazonaws\\.com(?:\\.cn)?");
  private static final Pattern AZURE = Pattern.compile(".+\\.postgres\\.database\\.azure\\.com");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

  private final String format;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String database;
  private final Map<String, String> parameters;
  private final List<ParseNote> notes;

  /**
   * @param format the form the string was written in ({@code JDBC_URL}, {@code URI}, {@code KEY_VALUE})
   * @param user the user, or null
   * @param password the password, or null; used only to hide values that contain a part of it
   */
  public Subject(String format, String host, int port, String user, String password, String database,
      Map<String, String> parameters, List<ParseNote> notes) {
    this.format = format;
    this.host = host.toLowerCase(Locale.ROOT);
    this.port = port;
    this.user = user == null ? "" : user;
    this.password = password;
    this.database = database;
    this.parameters = Map.copyOf(parameters);
    this.notes = List.copyOf(notes);
  }

  public String format() {
    return format;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The user, or an empty string. */
  public String user() {
    return user;
  }

  public boolean hasPassword() {
    return password != null && !password.isEmpty();
  }

  public String database() {
    return database;
  }

  public Map<String, String> parameters() {
    return parameters;
  }

  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  public List<ParseNote> notes() {
    return notes;
  }

  public Optional<String> sslMode() {
    return parameter("sslmode");
  }

  /** This machine: localhost, a loopback address or a Unix socket. */
  public boolean local() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.startsWith("/");
  }

  public boolean ipAddress() {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  public boolean unixSocket() {
    return host.startsWith("/");
  }

  /** Any host under Supabase's domains. */
  public boolean supabase() {
    return host.endsWith(".supabase.co") || host.endsWith(".supabase.com") || host.equals("supabase.co")
        || host.equals("supabase.com");
  }

  /** Supavisor, the shared pooler: {@code aws-N-<region>.pooler.supabase.com}. */
  public boolean supabasePooler() {
    return POOLER.matcher(host).matches();
  }

  /** The direct host {@code db.<ref>.supabase.co} (port 6543 there is the dedicated pooler). */
  public boolean supabaseDirect() {
    return DIRECT.matcher(host).matches();
  }

  /** The HTTP API host {@code <ref>.supabase.co}. */
  public boolean supabaseApi() {
    return API.matcher(host).matches();
  }

  public boolean neon() {
    return NEON.matcher(host).matches();
  }

  /** Neon's pooled endpoint, whose host name carries {@code -pooler}. */
  public boolean neonPooler() {
    return neon() && host.substring(0, host.indexOf('.')).endsWith("-pooler");
  }

  public boolean rds() {
    return RDS.matcher(host).matches();
  }

  public boolean azure() {
    return AZURE.matcher(host).matches();
  }

  /** A transaction-mode pooler by its conventions: port 6543, {@code pgbouncer=true}, Neon's pooled host. */
  public boolean transactionPooler() {
    return port == 6543 || parameter("pgbouncer").filter("true"::equalsIgnoreCase).isPresent() || neonPooler();
  }

  /** The project ref, from the host or from a pooler user {@code postgres.<ref>}; empty when neither has one. */
  public Optional<String> ref() {
    for (Pattern p : List.of(DIRECT, API)) {
      Matcher m = p.matcher(host);
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    int dot = user.lastIndexOf('.');
    String tail = dot >= 0 ? user.substring(dot + 1) : user;
    return tail.matches(REF) ? Optional.of(tail) : Optional.empty();
  }

  /** The values every rule's message may use: host, port, user, database and ref. */
  public Map<String, String> values() {
    Map<String, String> out = new HashMap<>();
    out.put("host", host);
    out.put("port", String.valueOf(port));
    out.put("user", user.isEmpty() ? "(none)" : user);
    out.put("database", database);
    ref().ifPresent(r -> out.put("ref", r));
    return scrub(out);
  }

  /** {@link #values()} plus {@code extra}, each hidden when it shares a part with the password. */
  public Map<String, String> values(Map<String, String> extra) {
    Map<String, String> out = new HashMap<>(values());
    out.putAll(scrub(extra));
    return out;
  }

  private Map<String, String> scrub(Map<String, String> values) {
    Map<String, String> out = new HashMap<>();
    values.forEach((k, v) -> out.put(k, Passwords.shares(v, password) ? "(hidden: it contains a part of the "
        + "password)" : v));
    return out;
  }

  @Override
  public String toString() {
    return "Subject{" + host + ":" + port + ", user=" + user + "}";
  }
}
