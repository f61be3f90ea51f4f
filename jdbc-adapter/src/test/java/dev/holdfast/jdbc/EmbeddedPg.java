package dev.holdfast.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded PostgreSQL 16 per test JVM, started on first use (startup costs seconds) and stopped at JVM exit.
 * Thread-safe.
 */
final class EmbeddedPg {
  private static EmbeddedPostgres server;

  private EmbeddedPg() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // The JVM is exiting.
        }
      }));
    }
    return server;
  }

  static int port() {
    return server().getPort();
  }

  /** A libpq URI for the embedded server's postgres database. */
  static String uri() {
    return "postgresql://postgres@127.0.0.1:" + port() + "/postgres";
  }

  /** Runs statements directly, for set-up. */
  static void exec(String... sql) {
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String one : sql) {
        s.execute(one);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
