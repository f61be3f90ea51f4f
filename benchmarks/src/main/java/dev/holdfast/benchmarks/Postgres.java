package dev.holdfast.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL 16 (zonky) in its own data directory on a fixed port, so that the soak can stop and
 * start it under running clients. Not thread-safe: one owner drives its lifecycle.
 */
final class Postgres implements AutoCloseable {
  private final Path dataDir;
  private final boolean synchronousCommit;
  private int port;
  private EmbeddedPostgres server;

  private Postgres(Path dataDir, boolean synchronousCommit) {
    this.dataDir = dataDir;
    this.synchronousCommit = synchronousCommit;
  }

  /**
   * Starts a server. Throughput runs turn {@code synchronousCommit} off, so that the shared machine's disk does
   * not dominate every write; the soak keeps it on, because it checks that acknowledged writes survive restarts.
   */
  static Postgres start(boolean synchronousCommit) {
    try {
      Postgres pg = new Postgres(Files.createTempDirectory("holdfast-bench-pg"), synchronousCommit);
      pg.startServer(0);
      pg.port = pg.server.getPort();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startServer(int fixedPort) throws IOException {
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setServerConfig("max_connections", "300")
        .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off");
    if (fixedPort > 0) {
      b.setPort(fixedPort);
    }
    server = b.start();
  }

  int port() {
    return port;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same port and data. */
  void restart() {
    stop();
    try {
      startServer(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        server = null;
      }
    }
  }

  /** Runs statements on a fresh direct connection, for set-up and checks. */
  void exec(String... sql) {
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String one : sql) {
        s.execute(one);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Connection connect() throws SQLException {
    return server.getPostgresDatabase().getConnection();
  }

  @Override
  public void close() {
    stop();
    Files2.deleteTree(dataDir);
  }
}
