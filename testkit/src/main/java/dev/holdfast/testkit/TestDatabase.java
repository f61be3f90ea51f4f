package dev.holdfast.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of its own on the shared embedded PostgreSQL server ({@link TestPostgres}), for one test class.
 * {@link #close()} drops it, ending its open connections. Thread-safe.
 *
 * <p>{@link #existing(int, String, String)} instead describes a database the test manages itself on another
 * server on 127.0.0.1 — such as a private server it stops and starts again on a fixed port — so that a
 * {@link PgBouncer} can be put in front of it; closing that one drops nothing.
 */
public final class TestDatabase implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final int port;
  private final String name;
  private final String user;
  private final AtomicBoolean closed = new AtomicBoolean();

  TestDatabase(EmbeddedPostgres server, String name) {
    this.server = Objects.requireNonNull(server, "server");
    this.port = server.getPort();
    this.name = Objects.requireNonNull(name, "name");
    this.user = "postgres";
  }

  private TestDatabase(int port, String name, String user) {
    this.server = null;
    this.port = port;
    this.name = Objects.requireNonNull(name, "name");
    this.user = Objects.requireNonNull(user, "user");
  }

  /**
   * An existing database that this object does not own, on a PostgreSQL server listening on 127.0.0.1 at
   * {@code port} that accepts {@code user} without a password — typically a private embedded server a test
   * stops and starts again on the same port to see what a restart does. It is addressed by port, not by server
   * instance, so it (and a {@link PgBouncer} in front of it) stays valid across such restarts. {@link #close()}
   * only marks it closed: the database belongs to whoever runs that server.
   *
   * @throws IllegalArgumentException if port is not between 1 and 65535
   */
  public static TestDatabase existing(int port, String name, String user) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new TestDatabase(port, name, user);
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /**
   * The user tests connect as: for a database from {@link TestPostgres#createDatabase()} the superuser
   * {@code postgres}, without a password.
   */
  public String user() {
    return user;
  }

  /** The server's host. */
  public String host() {
    return "127.0.0.1";
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** A pgjdbc URL with the user, such as {@code jdbc:postgresql://127.0.0.1:5432/db?user=postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + name + "?user=" + user;
  }

  /** A libpq URI, such as {@code postgresql://postgres@127.0.0.1:5432/db}. */
  public String uri() {
    return "postgresql://" + user + "@" + host() + ":" + port() + "/" + name;
  }

  /** A DataSource without pooling: each {@code getConnection()} opens a connection. */
  public DataSource dataSource() {
    if (server != null) {
      return server.getDatabase(user, name);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {host()});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(name);
    ds.setUser(user);
    return ds;
  }

  /**
   * Runs statements in this database on one connection, each in its own transaction — for set-up such as
   * creating tables.
   *
   * @throws IllegalStateException if a statement fails; the message names it and holds PostgreSQL's error
   */
  public void execute(String... sql) {
    Objects.requireNonNull(sql, "sql");
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String one : sql) {
        try {
          s.execute(one);
        } catch (SQLException e) {
          throw new IllegalStateException("Statement failed in " + name + ": " + one + ": " + e.getMessage(), e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not connect to " + this + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Drops the database, ending its connections ({@code DROP DATABASE ... WITH (FORCE)}); for one from
   * {@link #existing(int, String, String)} it only marks it closed. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && server != null) {
      TestPostgres.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Override
  public String toString() {
    return "TestDatabase{" + uri() + (server == null ? ", existing" : "") + "}";
  }
}
