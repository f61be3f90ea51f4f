package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.holdfast.CallContext;
import dev.holdfast.HoldfastException;
import dev.holdfast.jdbc.internal.SqlFailures.Phase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes connections from a DataSource and runs work on them with the attempt's time bound, classifying every
 * failure by where it happened. Reads run in autocommit; writes run in an explicit transaction, so that a
 * connection lost before COMMIT means "nothing was applied" (safe to run again) and only a connection lost while
 * COMMIT was in flight means "unknown outcome". Internal; thread-safe.
 */
public final class Connections {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);
  private static final Executor DIRECT = Runnable::run;
  // The socket-level bound waits a little longer than the statement timeout, so that the server's own
  // cancellation (a clean 57014) normally wins and the socket timeout only catches a silent network.
  private static final long NETWORK_SLACK_MILLIS = 1_000;

  /** Work on a connection, given the milliseconds left in the attempt. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection conn, Deadline deadline) throws SQLException;
  }

  /** HikariCP's own floor for a connection timeout. */
  private static final long MIN_BORROW_MILLIS = 250;

  private final DataSource dataSource;
  private final String backend;
  private final Consumer<Connection> onFirstConnection;
  private final Connector connector;
  private volatile boolean checked;

  public Connections(DataSource dataSource, String backend, Consumer<Connection> onFirstConnection) {
    this(dataSource, backend, onFirstConnection, null);
  }

  /**
   * @param connector what opens the connections of a pool holdfast owns, so that borrowing sees connect failures
   *     as they happen; null for a caller's DataSource
   */
  public Connections(DataSource dataSource, String backend, Consumer<Connection> onFirstConnection,
      Connector connector) {
    this.dataSource = dataSource;
    this.backend = backend;
    this.onFirstConnection = onFirstConnection;
    this.connector = connector;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs read-only {@code work} in autocommit mode. */
  public <T> T read(CallContext ctx, Work<T> work) {
    Deadline deadline = Deadline.after(ctx.timeout());
    Lease lease = open(deadline, true);
    try {
      return work.run(lease.conn, deadline);
    } catch (SQLException | RuntimeException e) {
      throw classify(e, Phase.UNKNOWN);
    } finally {
      lease.close();
    }
  }

  /** Runs {@code work} in one transaction and commits it. */
  public <T> T write(CallContext ctx, Work<T> work) {
    Deadline deadline = Deadline.after(ctx.timeout());
    Lease lease = open(deadline, false);
    boolean committed = false;
    try {
      T result;
      try {
        result = work.run(lease.conn, deadline);
      } catch (SQLException | RuntimeException e) {
        throw classify(e, Phase.BEFORE_COMMIT);
      }
      try {
        lease.conn.commit();
        committed = true;
      } catch (SQLException | RuntimeException e) {
        throw classify(e, Phase.COMMIT);
      }
      return result;
    } finally {
      if (!committed) {
        lease.rollbackQuietly();
      }
      lease.close();
    }
  }

  /** A connection for a cursor, in a transaction; the caller closes the lease. */
  public Lease openForCursor(CallContext ctx) {
    return open(Deadline.after(ctx.timeout()), false);
  }

  private Lease open(Deadline deadline, boolean autoCommit) {
    Connection conn;
    try {
      conn = borrow(deadline);
    } catch (SQLException | RuntimeException e) {
      throw classify(e, Phase.CONNECT);
    }
    Lease lease = new Lease(conn);
    try {
      if (!checked && onFirstConnection != null) {
        onFirstConnection.accept(conn);
        checked = true;
      }
      lease.prepare(deadline.remainingMillis() + NETWORK_SLACK_MILLIS, autoCommit);
      return lease;
    } catch (SQLException | RuntimeException e) {
      lease.close();
      throw classify(e, Phase.CONNECT);
    }
  }

  /**
   * A connection from the pool within the attempt's deadline. HikariCP's {@code getConnection()} waits its whole
   * {@code connectionTimeout} (while the database refuses connections, every attempt would take that long and
   * the call would overrun its deadline); its pool takes a per-call bound, so a HikariCP pool is asked directly.
   * A pool holdfast owns is borrowed from by {@link PoolBorrow}, which ends the wait at once when the server
   * refuses the login. Other pools get the plain call, bounded by their own settings.
   */
  private Connection borrow(Deadline deadline) throws SQLException {
    if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
      long configured = hikari.getConnectionTimeout();
      long bound = Math.min(configured, Math.max(MIN_BORROW_MILLIS, deadline.remainingMillis()));
      return connector != null ? PoolBorrow.borrow(PoolBorrow.Pool.of(pool), connector, bound) : pool.getConnection(bound);
    }
    return dataSource.getConnection();
  }

  /** The holdfast exception for {@code e}, or {@code e} itself when it is not a database failure. */
  public RuntimeException classify(Exception e, Phase phase) {
    if (e instanceof HoldfastException h) {
      return h;
    }
    var classified = SqlFailures.classify(e, backend, phase, connector == null ? null : connector.address());
    if (classified.isPresent()) {
      return classified.get();
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /** A borrowed connection whose settings are restored before it goes back to the pool. */
  public static final class Lease implements AutoCloseable {
    private final Connection conn;
    private int oldNetworkTimeout = -1;
    private Boolean oldAutoCommit;
    private boolean closed;

    Lease(Connection conn) {
      this.conn = conn;
    }

    public Connection connection() {
      return conn;
    }

    void prepare(long networkTimeoutMillis, boolean autoCommit) throws SQLException {
      try {
        int old = conn.getNetworkTimeout();
        conn.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, Math.max(1, networkTimeoutMillis)));
        oldNetworkTimeout = old;
      } catch (java.sql.SQLFeatureNotSupportedException | AbstractMethodError e) {
        // A wrapped DataSource whose connections cannot do this; the statement timeout still applies.
        log.debug("network timeout not supported: {}", e.toString());
      }
      boolean current = conn.getAutoCommit();
      if (current != autoCommit) {
        oldAutoCommit = current;
        conn.setAutoCommit(autoCommit);
      }
    }

    /** Rolls back, ignoring failures: the connection may already be gone. */
    public void rollbackQuietly() {
      try {
        if (!conn.isClosed() && !conn.getAutoCommit()) {
          conn.rollback();
        }
      } catch (SQLException | RuntimeException e) {
        log.debug("rollback failed: {}", e.toString());
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!conn.isClosed()) {
          if (oldAutoCommit != null) {
            conn.setAutoCommit(oldAutoCommit);
          }
          if (oldNetworkTimeout >= 0) {
            conn.setNetworkTimeout(DIRECT, oldNetworkTimeout);
          }
        }
      } catch (SQLException | RuntimeException e) {
        log.debug("could not restore connection settings: {}", e.toString());
      } finally {
        try {
          conn.close();
        } catch (SQLException | RuntimeException e) {
          log.debug("close failed: {}", e.toString());
        }
      }
    }
  }
}
