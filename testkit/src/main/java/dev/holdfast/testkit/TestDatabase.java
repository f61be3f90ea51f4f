package dev.holdfast.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A database of its own on the shared embedded PostgreSQL server ({@link TestPostgres}), for one test class.
 * {@link #close()} drops it, ending its open connections. Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();

  TestDatabase(EmbeddedPostgres server, String name) {
    this.server = Objects.requireNonNull(server, "server");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** The user tests connect as: the superuser {@code postgres}, without a password. */
  public String user() {
    return "postgres";
  }

  /** The server's host. */
  public String host() {
    return "127.0.0.1";
  }

  /** The server's port. */
  public int port() {
    return server.getPort();
  }

  /** A pgjdbc URL with the user, such as {@code jdbc:postgresql://127.0.0.1:5432/db?user=postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + name + "?user=" + user();
  }

  /** A libpq URI, such as {@code postgresql://postgres@127.0.0.1:5432/db}. */
  public String uri() {
    return "postgresql://" + user() + "@" + host() + ":" + port() + "/" + name;
  }

  /** A DataSource without pooling: each {@code getConnection()} opens a connection. */
  public DataSource dataSource() {
    return server.getDatabase(user(), name);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Drops the database, ending its connections ({@code DROP DATABASE ... WITH (FORCE)}). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      TestPostgres.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Override
  public String toString() {
    return "TestDatabase{" + uri() + "}";
  }
}
