package dev.holdfast.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer (Debian's /usr/sbin/pgbouncer) in front of a PostgreSQL server, started in its own temporary
 * directory on a free 127.0.0.1 port with trust authentication. PgBouncer refuses to run as root, so when the
 * tests run as root it is started as {@code nobody} through {@code setpriv}. {@link #close()} stops it with
 * SIGTERM and deletes its files. Not thread-safe; one per test class.
 *
 * <pre>{@code
 * try (PgBouncerProcess bouncer = PgBouncerProcess.start(postgresPort, "transaction", 2)) {
 *   String uri = bouncer.uri();   // postgresql://postgres@127.0.0.1:<port>/postgres
 * }
 * }</pre>
 */
final class PgBouncerProcess implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("holdfast.pgbouncer", "/usr/sbin/pgbouncer"));

  private final Process process;
  private final Path dir;
  private final int port;

  private PgBouncerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Skips the calling test when pgbouncer is not installed, with a message saying how to install it; fails
   * instead when the environment variable CI is "true", because in CI nothing may be skipped.
   */
  static void assumeInstalled() {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    String message = "pgbouncer is not installed at " + BINARY + " (apt-get install pgbouncer)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message + "; CI=true, so this test may not be skipped");
    }
    Assumptions.abort(message + "; skipping");
  }

  /** Starts PgBouncer in {@code poolMode} with {@code poolSize} server connections in front of postgresPort. */
  static PgBouncerProcess start(int postgresPort, String poolMode, int poolSize) {
    assumeInstalled();
    try {
      Path dir = Files.createTempDirectory("holdfast-pgbouncer");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port = freePort();
      Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
      Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
          "[databases]",
          "postgres = host=127.0.0.1 port=" + postgresPort + " dbname=postgres user=postgres",
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          "listen_port = " + port,
          "unix_socket_dir =",
          "auth_type = trust",
          "auth_file = " + dir.resolve("userlist.txt"),
          "pool_mode = " + poolMode,
          "default_pool_size = " + poolSize,
          "max_client_conn = 500",
          // pgjdbc sends extra_float_digits as a startup parameter; real deployments ignore it the same way.
          "ignore_startup_parameters = extra_float_digits",
          "server_reset_query =",
          "logfile = " + dir.resolve("pgbouncer.log"),
          "pidfile = " + dir.resolve("pgbouncer.pid"),
          ""));
      for (String f : List.of("userlist.txt", "pgbouncer.ini")) {
        Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
      }
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
      }
      command.add(BINARY.toString());
      command.add(dir.resolve("pgbouncer.ini").toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
      PgBouncerProcess bouncer = new PgBouncerProcess(process, dir, port);
      bouncer.awaitListening(Duration.ofSeconds(15));
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening(Duration timeout) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        String out = log();
        deleteFiles();
        throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n" + out);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    close();
    throw new IllegalStateException("pgbouncer did not listen on port " + port + " within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** A libpq URI for the {@code postgres} database through this PgBouncer. */
  String uri() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** A plain pgjdbc URL, with pgjdbc's default settings, through this PgBouncer. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** What PgBouncer wrote to its log and stdout so far, for failure messages. */
  String log() {
    StringBuilder out = new StringBuilder();
    for (String f : List.of("stdout.txt", "pgbouncer.log")) {
      try {
        if (Files.exists(dir.resolve(f))) {
          out.append(Files.readString(dir.resolve(f)));
        }
      } catch (IOException e) {
        out.append("(cannot read ").append(f).append(")");
      }
    }
    return out.toString();
  }

  boolean isRunning() {
    return process.isAlive();
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
      Thread.currentThread().interrupt();
    }
    deleteFiles();
  }

  private void deleteFiles() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
