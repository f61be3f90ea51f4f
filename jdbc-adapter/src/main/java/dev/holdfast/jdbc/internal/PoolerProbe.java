package dev.holdfast.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.postgresql.PGConnection;

/**
 * Tells from the server's behaviour what sits between a DataSource and PostgreSQL: nothing, a pooler that keeps
 * one server connection per client (session mode), or one that hands each transaction to whichever server
 * connection is free (transaction mode). Ports and host names vary too much to tell from the URL alone (6432 is
 * PgBouncer's default, 6543 Supabase's, providers pick others). Internal; stateless.
 *
 * <p>The tells, cheapest first:
 * <ol>
 *   <li>A direct connection's {@code pg_backend_pid()} is the process id the server sent at login
 *       ({@link PGConnection#getBackendPID()}); a pooler answers the login itself with a made-up one.</li>
 *   <li>Behind a pooler, two statements of one client connection that run in different server processes prove
 *       transaction (or statement) pooling. With round-robin reuse that shows at once. With PgBouncer's default
 *       reuse (the server connection used last) a second client connection first pins, in an open transaction,
 *       the server connection the first one just used (which alone proves it), and the first one's next
 *       statement must then run elsewhere. A session pooler never moves a client to another server process, nor
 *       gives one client's server process to another.</li>
 * </ol>
 * Every probe statement is one-shot (never a named server-side statement), reads nothing but its own process id,
 * and is bounded by a network timeout; connections are handed back as found.
 */
public final class PoolerProbe {
  /** What the probe found between the client and PostgreSQL. */
  public enum Path {
    /** A direct connection to PostgreSQL. */
    DIRECT,
    /** A pooler that kept the client on one server process through every test. */
    SESSION_POOLER,
    /** A pooler that moved one client connection between server processes. */
    TRANSACTION_POOLER,
    /** A pooler whose mode the probe could not tell (no second connection was free in time). */
    POOLER,
    /** Not a pgjdbc connection: nothing could be read. */
    UNKNOWN
  }

  /**
   * The finding.
   *
   * @param path what sits in between
   * @param evidence what the probe saw, for messages (process ids only)
   */
  public record Finding(Path path, String evidence) {}

  /** How many times the two-connection test is repeated before a pooler is called session mode. */
  private static final int ROUNDS = 3;
  /** How long the first connection's statement may wait while the second holds a transaction. */
  private static final long PIN_WAIT_MILLIS = 250;

  private PoolerProbe() {}

  /**
   * Probes through {@code first}, a connection the caller holds, borrowing a second one with {@code second} (which
   * returns empty when none is free within the time it was given) only when a pooler is seen.
   *
   * @param bound how long any one probe statement may take
   */
  public static Finding run(Connection first, Function<Duration, Optional<Connection>> second, Duration bound)
      throws SQLException {
    if (!first.isWrapperFor(PGConnection.class)) {
      return new Finding(Path.UNKNOWN, "not a pgjdbc connection");
    }
    try (Session a = new Session(first, bound)) {
      int loginPid = first.unwrap(PGConnection.class).getBackendPID();
      int p1 = a.pid();
      if (p1 == loginPid) {
        return new Finding(Path.DIRECT, "the server process " + p1 + " is the one the login reported");
      }
      String pooler = "the login reported process " + loginPid + ", statements ran in " + p1;
      int p2 = a.pid();
      if (p2 != p1) {
        return transaction(pooler, "two statements of one connection ran in server processes " + p1 + " and "
            + p2);
      }
      Optional<Connection> other = second.apply(bound);
      if (other.isEmpty()) {
        return new Finding(Path.POOLER, pooler + "; no second connection was free to tell its mode");
      }
      try (Connection held = other.get(); Session b = new Session(held, bound)) {
        for (int round = 0; round < ROUNDS; round++) {
          b.begin();
          int pinned = b.pid();
          if (pinned == p1) {
            // A session pooler never gives one client's server process to another.
            return transaction(pooler, "another connection's transaction ran in server process " + p1
                + ", which this connection had just used");
          }
          int p3 = a.pidWhile(b, bound);
          if (p3 != p1) {
            return transaction(pooler, "while another connection held server process " + pinned
                + " in a transaction, this connection moved from server process " + p1 + " to " + p3);
          }
        }
      }
      return new Finding(Path.SESSION_POOLER, pooler + ", and stayed there while another connection held a "
          + "transaction, " + ROUNDS + " times");
    }
  }

  private static Finding transaction(String pooler, String evidence) {
    return new Finding(Path.TRANSACTION_POOLER, pooler + "; " + evidence);
  }

  /** One connection under test: autocommit, a network timeout, restored on close. */
  private static final class Session implements AutoCloseable {
    private final Connection conn;
    private final boolean autoCommit;
    private final int networkTimeout;
    private final int boundMillis;

    Session(Connection conn, Duration bound) throws SQLException {
      this.conn = conn;
      this.boundMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
      this.autoCommit = conn.getAutoCommit();
      int old = -1;
      try {
        old = conn.getNetworkTimeout();
        conn.setNetworkTimeout(Runnable::run, boundMillis);
      } catch (java.sql.SQLFeatureNotSupportedException | AbstractMethodError e) {
        // The statement timeouts still bound each probe statement.
      }
      this.networkTimeout = old;
      if (!autoCommit) {
        OneShot.rollback(conn);
        conn.setAutoCommit(true);
      }
    }

    int pid() throws SQLException {
      try (Statement s = conn.createStatement()) {
        OneShot.configure(s, boundMillis);
        try (ResultSet rs = s.executeQuery(Statements.MARK + "SELECT pg_backend_pid()")) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }

    /** Opens a transaction that holds this connection's server process until {@link #end()}. */
    void begin() throws SQLException {
      conn.setAutoCommit(false);
    }

    void end() throws SQLException {
      OneShot.rollback(conn);
      conn.setAutoCommit(true);
    }

    /**
     * This connection's process id, asked while {@code holder} holds a transaction. Behind a transaction pooler
     * with a single server connection the statement waits for that transaction, so the holder ends it after a
     * short wait and the statement then runs on the server process the holder used.
     */
    int pidWhile(Session holder, Duration bound) throws SQLException {
      CompletableFuture<Integer> asked = CompletableFuture.supplyAsync(() -> {
        try {
          return pid();
        } catch (SQLException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      try {
        try {
          return asked.get(PIN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException waiting) {
          holder.end();
          return asked.get(Math.max(1, bound.toMillis()), TimeUnit.MILLISECONDS);
        } finally {
          if (!holder.conn.getAutoCommit()) {
            holder.end();
          }
        }
      } catch (TimeoutException e) {
        asked.cancel(true);
        throw new SQLException("The pooler probe got no answer within " + bound.toMillis() + " ms", "57014", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("Interrupted while probing the pooler", "57014", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw new SQLException("The pooler probe failed", e.getCause());
      }
    }

    @Override
    public void close() throws SQLException {
      if (conn.isClosed()) {
        return;
      }
      if (!conn.getAutoCommit()) {
        OneShot.rollback(conn);
      }
      conn.setAutoCommit(autoCommit);
      if (networkTimeout >= 0) {
        conn.setNetworkTimeout(Runnable::run, networkTimeout);
      }
    }
  }
}
