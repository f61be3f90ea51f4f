package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer process (Debian's {@code /usr/sbin/pgbouncer}, or the path in the system property
 * {@code holdfast.pgbouncer}) in front of one database, for tests of code that must work behind a pooler in
 * transaction mode. It gets a temporary directory for its configuration, auth file, log and pid file, listens on
 * a free 127.0.0.1 port with trust authentication, and is stopped and its files deleted by {@link #close()}.
 * PgBouncer refuses to run as root, so under root it runs as the unprivileged user 65534 ({@code nobody}).
 * Thread-safe. In JUnit 5, {@link PgBouncerExtension} starts one per test class.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.createDatabase();
 *     PgBouncer bouncer = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION, 2)) {
 *   DataSource ds = bouncer.dataSource();   // each transaction may run on another server connection
 * }
 * }</pre>
 */
public final class PgBouncer implements AutoCloseable {
  /** How PgBouncer hands server connections to clients. */
  public enum PoolMode {
    /** A server connection per client connection, for its whole life. */
    SESSION,
    /** A server connection per transaction: session state (SET, prepared statements) does not carry over. */
    TRANSACTION,
    /** A server connection per statement; multi-statement transactions are refused. */
    STATEMENT
  }

  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final Process process;
  private final Path dir;
  private final int port;
  private final TestDatabase database;
  private final PoolMode mode;
  private final int poolSize;

  private PgBouncer(Process process, Path dir, int port, TestDatabase database, PoolMode mode, int poolSize) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.database = database;
    this.mode = mode;
    this.poolSize = poolSize;
  }

  /** The PgBouncer binary this class starts. */
  public static Path binary() {
    return Path.of(System.getProperty("holdfast.pgbouncer", "/usr/sbin/pgbouncer"));
  }

  /**
   * Skips the calling test (a JUnit assumption) when PgBouncer is not installed, saying how to install it; fails
   * instead when the environment variable {@code CI} is {@code true}, because in CI nothing may be skipped.
   */
  public static void assumeInstalled() {
    if (Files.isExecutable(binary())) {
      return;
    }
    String message = "PgBouncer is not installed at " + binary()
        + " (install it with 'apt-get install pgbouncer', or set -Dholdfast.pgbouncer=/path/to/pgbouncer)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message + "; CI=true, so this test may not be skipped");
    }
    Assumptions.abort(message + "; skipping");
  }

  /**
   * Starts PgBouncer in front of {@code database} with {@code poolSize} server connections, and waits until it
   * accepts connections. Shorthand for {@code builder(database).poolMode(mode).poolSize(poolSize).start()}.
   *
   * @throws org.opentest4j.TestAbortedException if PgBouncer is not installed (see {@link #assumeInstalled()})
   * @throws IllegalStateException if it exits or does not listen within 15 seconds; the message holds its log
   */
  public static PgBouncer start(TestDatabase database, PoolMode mode, int poolSize) {
    return builder(database).poolMode(mode).poolSize(poolSize).start();
  }

  /**
   * Like {@link #start(TestDatabase, PoolMode, int)}, with a {@link Builder#serverLoginRetry short wait} after a
   * failed login to PostgreSQL.
   *
   * @throws IllegalArgumentException if serverLoginRetry is zero or negative
   */
  public static PgBouncer start(TestDatabase database, PoolMode mode, int poolSize, Duration serverLoginRetry) {
    return builder(database).poolMode(mode).poolSize(poolSize).serverLoginRetry(serverLoginRetry).start();
  }

  /**
   * A builder for a PgBouncer in front of {@code database}: transaction mode, two server connections, PgBouncer's
   * own defaults otherwise.
   *
   * @throws NullPointerException if {@code database} is null
   */
  public static Builder builder(TestDatabase database) {
    return new Builder(database);
  }

  /** Settings of a {@link PgBouncer} to start. Not thread-safe. */
  public static final class Builder {
    private final TestDatabase database;
    private PoolMode mode = PoolMode.TRANSACTION;
    private int poolSize = 2;
    private Duration serverLoginRetry;
    private boolean serverRoundRobin;

    private Builder(TestDatabase database) {
      this.database = Objects.requireNonNull(database, "database");
    }

    /** How server connections are handed to clients; default {@link PoolMode#TRANSACTION}. */
    public Builder poolMode(PoolMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Server connections per database and user ({@code default_pool_size}); default 2.
     *
     * @throws IllegalArgumentException if {@code poolSize} is less than 1
     */
    public Builder poolSize(int poolSize) {
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize < 1: " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /**
     * After a failed login to PostgreSQL PgBouncer waits this long (rounded up to whole seconds, at least one)
     * before it tries again, instead of its default 15 seconds. Tests that stop and start PostgreSQL behind
     * PgBouncer (see {@link TestDatabase#existing(int, String, String)}) use a short one, so that clients get
     * through again within seconds of the restart.
     *
     * @throws IllegalArgumentException if {@code serverLoginRetry} is zero or negative
     */
    public Builder serverLoginRetry(Duration serverLoginRetry) {
      Objects.requireNonNull(serverLoginRetry, "serverLoginRetry");
      if (serverLoginRetry.isZero() || serverLoginRetry.isNegative()) {
        throw new IllegalArgumentException("serverLoginRetry must be positive: " + serverLoginRetry);
      }
      this.serverLoginRetry = serverLoginRetry;
      return this;
    }

    /**
     * Whether PgBouncer hands out the server connection idle the longest ({@code server_round_robin = 1}) instead
     * of the one used last (its default): consecutive transactions of one client then land on different server
     * connections even without load.
     */
    public Builder serverRoundRobin(boolean roundRobin) {
      this.serverRoundRobin = roundRobin;
      return this;
    }

    /**
     * Starts PgBouncer and waits until it accepts connections.
     *
     * @throws org.opentest4j.TestAbortedException if PgBouncer is not installed (see {@link #assumeInstalled()})
     * @throws IllegalStateException if it exits or does not listen within 15 seconds; the message holds its log
     */
    public PgBouncer start() {
      return startWith(this);
    }
  }

  private static PgBouncer startWith(Builder b) {
    TestDatabase database = b.database;
    PoolMode mode = b.mode;
    int poolSize = b.poolSize;
    assumeInstalled();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("holdfast-pgbouncer");
      // The unprivileged user PgBouncer runs as writes its log and pid file here.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port = freePort();
      Path ini = dir.resolve("pgbouncer.ini");
      Files.writeString(dir.resolve("userlist.txt"), "\"" + database.user() + "\" \"\"\n");
      Files.writeString(ini, config(b, port, dir));
      for (String f : List.of("userlist.txt", "pgbouncer.ini")) {
        Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
      }
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        // setpriv execs PgBouncer in place, so the process we hold is PgBouncer itself and SIGTERM reaches it.
        command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      }
      command.add(binary().toString());
      command.add(ini.toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
      PgBouncer bouncer = new PgBouncer(process, dir, port, database, mode, poolSize);
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException e) {
      deleteTree(dir);
      throw new UncheckedIOException("PgBouncer could not start", e);
    }
  }

  private static String config(Builder b, int port, Path dir) {
    TestDatabase db = b.database;
    // Whole seconds: PgBouncer reads a bare number as seconds; rounded up so a retry is never sooner than asked.
    String retry = b.serverLoginRetry == null ? ""
        : "server_login_retry = " + Math.max(1, (b.serverLoginRetry.toMillis() + 999) / 1000);
    return String.join("\n",
        "[databases]",
        db.name() + " = host=" + db.host() + " port=" + db.port() + " dbname=" + db.name() + " user=" + db.user(),
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = trust",
        "auth_file = " + dir.resolve("userlist.txt"),
        "admin_users = " + db.user(),
        "pool_mode = " + b.mode.name().toLowerCase(Locale.ROOT),
        "default_pool_size = " + b.poolSize,
        "server_round_robin = " + (b.serverRoundRobin ? 1 : 0),
        "max_client_conn = 500",
        // pgjdbc sends extra_float_digits at startup; PgBouncer refuses unknown startup parameters otherwise.
        "ignore_startup_parameters = extra_float_digits",
        retry,
        "logfile = " + dir.resolve("pgbouncer.log"),
        "pidfile = " + dir.resolve("pgbouncer.pid"),
        "");
  }

  private void awaitListening() {
    long end = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        String out = log();
        deleteTree(dir);
        throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + ":\n" + out);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new IllegalStateException("Interrupted while PgBouncer was starting", e);
        }
      }
    }
    String out = log();
    close();
    throw new IllegalStateException("PgBouncer did not listen on port " + port + " within " + STARTUP + ":\n" + out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The port PgBouncer listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The database behind it (clients use the same database name through PgBouncer). */
  public TestDatabase database() {
    return database;
  }

  /** The pool mode it runs in. */
  public PoolMode poolMode() {
    return mode;
  }

  /** The number of server connections per database and user ({@code default_pool_size}). */
  public int poolSize() {
    return poolSize;
  }

  /** A plain pgjdbc URL, with pgjdbc's default settings, to the database through PgBouncer. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database.name() + "?user=" + database.user();
  }

  /** A libpq URI to the database through PgBouncer. */
  public String uri() {
    return "postgresql://" + database.user() + "@127.0.0.1:" + port + "/" + database.name();
  }

  /**
   * The admin console's database name ({@code pgbouncer}); the database's user is an admin, so
   * {@code psql -h 127.0.0.1 -p <port> -U postgres pgbouncer} can run {@code SHOW POOLS}. (pgjdbc cannot: it
   * sends a {@code SET} the console refuses.)
   */
  public String adminDatabase() {
    return "pgbouncer";
  }

  /** The operating-system process id of PgBouncer. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is running. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** What PgBouncer wrote to its log and stdout so far, for failure messages. */
  public String log() {
    StringBuilder out = new StringBuilder();
    for (String f : List.of("stdout.txt", "pgbouncer.log")) {
      Path p = dir.resolve(f);
      try {
        if (Files.exists(p)) {
          out.append(Files.readString(p));
        }
      } catch (IOException e) {
        out.append("(cannot read ").append(p).append(": ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  /** Stops PgBouncer (SIGTERM, then SIGKILL after 5 s) and deletes its files. Idempotent. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  /** The directory holding its configuration, log and pid file, deleted on close. */
  public Path directory() {
    return dir;
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "PgBouncer{" + uri() + ", " + mode.name().toLowerCase(Locale.ROOT) + ", pool " + poolSize + "}";
  }
}
