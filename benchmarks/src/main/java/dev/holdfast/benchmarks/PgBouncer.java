package dev.holdfast.benchmarks;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (/usr/sbin/pgbouncer, or the {@code holdfast.pgbouncer} system property) in transaction mode in
 * front of a PostgreSQL port, on a fixed 127.0.0.1 port so that it can be restarted under running clients. Run as
 * {@code nobody} through {@code setpriv} when the harness runs as root (PgBouncer refuses root). Adapted from
 * jdbc-adapter's test harness. Not thread-safe.
 */
final class PgBouncer implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("holdfast.pgbouncer", "/usr/sbin/pgbouncer"));

  private final Path dir;
  private final int port;
  private Process process;

  private PgBouncer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  static PgBouncer start(int postgresPort, int poolSize) {
    if (!installed()) {
      throw new IllegalStateException("pgbouncer is not installed at " + BINARY + " (apt-get install pgbouncer)");
    }
    try {
      Path dir = Files.createTempDirectory("holdfast-bench-pgbouncer");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
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
          "pool_mode = transaction",
          "default_pool_size = " + poolSize,
          "max_client_conn = 500",
          "ignore_startup_parameters = extra_float_digits",
          "server_reset_query =",
          "server_login_retry = 1",
          "logfile = " + dir.resolve("pgbouncer.log"),
          "pidfile = " + dir.resolve("pgbouncer.pid"),
          ""));
      for (String f : List.of("userlist.txt", "pgbouncer.ini")) {
        Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
      }
      PgBouncer bouncer = new PgBouncer(dir, port);
      bouncer.launch();
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    }
    command.add(BINARY.toString());
    command.add(dir.resolve("pgbouncer.ini").toString());
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile())).start();
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n"
            + Files.readString(dir.resolve("stdout.txt")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("pgbouncer did not listen on port " + port);
  }

  int port() {
    return port;
  }

  /** A plain pgjdbc URL through this PgBouncer, with pgjdbc's default settings. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Kills PgBouncer (every client connection drops) and starts it again on the same port. */
  void restart() {
    kill();
    startAgain();
  }

  /** Kills PgBouncer: every client connection drops and its port refuses connections. */
  void kill() {
    stopProcess();
  }

  /** Starts PgBouncer again on the same port after {@link #kill()}; returns once it listens. */
  void startAgain() {
    try {
      // The listening socket may linger for a moment after the process dies.
      for (int i = 0; ; i++) {
        try {
          launch();
          return;
        } catch (IllegalStateException e) {
          if (i >= 20) {
            throw e;
          }
          sleep(100);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopProcess() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The version line of the binary, for the report. */
  static String version() {
    try {
      Process p = new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("?").trim();
    } catch (IOException e) {
      return "not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  @Override
  public void close() {
    stopProcess();
    Files2.deleteTree(dir);
  }
}
