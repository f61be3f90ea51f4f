package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.holdfast.CallContext;
import dev.holdfast.HoldfastException;
import dev.holdfast.jdbc.internal.SqlFailures.Phase;
import dev.holdfast.ConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes connections from a DataSource and runs work on them with the attempt's time bound, classifying every
 * failure by where it happened. Reads run in autocommit; writes run in an explicit transaction, so that a
 * connection lost before COMMIT means "nothing was applied" (safe to run again) and only a connection lost while
 * COMMIT was in flight means "unknown outcome". Internal; thread-safe.
 */
public final class Connections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);
  private static final Executor DIRECT = Runnable::run;
  // The socket-level bound waits a little longer than the statement's, so that the server's own cancellation
  // (a clean 57014) normally wins and aborting the connection only ends a silent network.
  private static final long NETWORK_SLACK_MILLIS = 1_000;

  /** Work on a connection, given the milliseconds left in the attempt. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection conn, Deadline deadline) throws SQLException;
  }

  /**
   * A check of the path to the database, run on the first connection leased (until it completes); it may borrow a
   * second connection with {@code second}, which waits at most the time it is given.
   */
  @FunctionalInterface
  public interface FirstLeaseCheck {
    void check(Connection conn, Function<Duration, Optional<Connection>> second, Duration bound)
        throws SQLException;
  }

  /** HikariCP's own floor for a connection timeout. */
  private static final long MIN_BORROW_MILLIS = 250;

  private final DataSource dataSource;
  private final String backend;
  private final FirstLeaseCheck firstLeaseCheck;
  private final Connector connector;
  private volatile boolean checked;
  private volatile WalPositions positions;
  /** The check's verdict when it refused the DataSource: every later call fails with it. */
  private volatile ConfigurationException refused;
  /** Bounds every lease of a pgjdbc connection by its attempt's deadline (see StatementWatch for why). */
  private final StatementWatch watch = new StatementWatch(Duration.ofMillis(NETWORK_SLACK_MILLIS));

  public Connections(DataSource dataSource, String backend, FirstLeaseCheck firstLeaseCheck) {
    this(dataSource, backend, firstLeaseCheck, null);
  }

  /**
   * @param connector what opens the connections of a pool holdfast owns, so that borrowing sees connect failures
   *     as they happen; null for a caller's DataSource
   */
  public Connections(DataSource dataSource, String backend, FirstLeaseCheck firstLeaseCheck,
      Connector connector) {
    this.dataSource = dataSource;
    this.backend = backend;
    this.firstLeaseCheck = firstLeaseCheck;
    this.checked = firstLeaseCheck == null;
    this.connector = connector;
  }

  /**
   * Runs the first-lease check now, on a connection of its own, within {@code bound}. A database that cannot be
   * reached now is no reason to fail: the check then runs on the first connection a call leases.
   *
   * @throws ConfigurationException when the check refuses the DataSource
   */
  public void checkNow(Duration bound) {
    if (checked) {
      return;
    }
    Deadline deadline = Deadline.after(bound);
    Connection conn;
    try {
      conn = borrow(deadline);
    } catch (SQLException | RuntimeException e) {
      log.debug("the path check waits for the first call: {}", e.toString());
      return;
    }
    try (Lease lease = new Lease(conn, this, deadline)) {
      runCheck(lease, deadline);
    } catch (ConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      log.debug("the path check waits for the first call: {}", e.toString());
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs read-only {@code work} in autocommit mode. */
  public <T> T read(CallContext ctx, Work<T> work) {
    Lease lease = open(Deadline.after(ctx.timeout()), true);
    try {
      return work.run(lease.conn, lease.deadline);
    } catch (SQLException | RuntimeException e) {
      throw lease.failed(e, Phase.UNKNOWN);
    } finally {
      lease.close();
    }
  }

  /** Runs {@code work} in one transaction and commits it. */
  public <T> T write(CallContext ctx, Work<T> work) {
    Lease lease = open(Deadline.after(ctx.timeout()), false);
    boolean committed = false;
    try {
      T result;
      try {
        result = work.run(lease.conn, lease.deadline);
        // Past the deadline the watcher cancels what runs on the connection, and a cancel delayed on the way (a
        // network that stalled, then recovered) would land on the COMMIT, leaving its outcome unknown: an attempt
        // out of time rolls back instead, and nothing was applied.
        lease.deadline.requireRemainingMillis();
      } catch (SQLException | RuntimeException e) {
        throw lease.failed(e, Phase.BEFORE_COMMIT);
      }
      try {
        OneShot.commit(lease.conn);
        committed = true;
      } catch (SQLException | RuntimeException e) {
        throw lease.failed(e, Phase.COMMIT);
      }
      if (positions != null) {
        positions.afterCommit(lease.conn, lease.deadline.remainingMillis() + NETWORK_SLACK_MILLIS);
      }
      return result;
    } finally {
      if (!committed) {
        lease.rollbackQuietly();
      }
      lease.close();
    }
  }

  /** Stops the thread that bounds leases by their deadlines; the DataSource is its owner's to close. */
  @Override
  public void close() {
    watch.close();
  }

  /** Runs {@code work}, which writes, in autocommit mode: one round trip. */
  public <T> T writeAutocommit(CallContext ctx, Work<T> work) {
    if (positions == null) {
      return read(ctx, work);
    }
    return read(ctx, (c, d) -> {
      T result = work.run(c, d);
      positions.afterCommit(c, d.remainingMillis() + NETWORK_SLACK_MILLIS);
      return result;
    });
  }

  /** Remembers the primary's WAL position after every write from now on, for read-your-writes. */
  public void trackWrites(WalPositions tracker) {
    this.positions = tracker.enabled() ? tracker : null;
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
    Lease lease = new Lease(conn, this, deadline);
    try {
      if (!checked) {
        runCheck(lease, deadline);
      }
      lease.prepare(autoCommit);
      return lease;
    } catch (SQLException | RuntimeException e) {
      lease.close();
      throw classify(e, Phase.CONNECT);
    }
  }

  private synchronized void runCheck(Lease lease, Deadline deadline) {
    if (refused != null) {
      throw refused;
    }
    if (checked) {
      return;
    }
    try {
      firstLeaseCheck.check(lease.conn, this::borrowSecond, Duration.ofMillis(deadline.remainingMillis()));
      checked = true;
    } catch (ConfigurationException e) {
      refused = e;
      throw e;
    } catch (SQLException e) {
      throw classify(e, Phase.CONNECT);
    }
  }

  /** Another connection for the path check, or empty when none comes within {@code wait}. */
  private Optional<Connection> borrowSecond(Duration wait) {
    long millis = Math.max(MIN_BORROW_MILLIS, wait.toMillis());
    if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
      if (hikari.getMaximumPoolSize() < 2) {
        return Optional.empty();
      }
      try {
        return Optional.of(pool.getConnection(millis));
      } catch (SQLException e) {
        return Optional.empty();
      }
    }
    // Other pools block in getConnection() for as long as they are configured to: wait on another thread.
    CompletableFuture<Connection> asked = CompletableFuture.supplyAsync(() -> {
      try {
        return dataSource.getConnection();
      } catch (SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    try {
      return Optional.of(asked.get(millis, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // None in time: hand it back whenever it comes.
      asked.thenAccept(Connections::closeQuietly);
    }
    return Optional.empty();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      log.debug("close failed: {}", e.toString());
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
    var classified = SqlFailures.classify(e, backend, phase, true, connector == null ? null : connector.address());
    if (classified.isPresent()) {
      return classified.get();
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /**
   * Replaces every connection of a pool holdfast can reach (HikariCP's soft eviction: idle ones close now, the
   * ones in use when they come back), because the server they were opened to changed role; the pool opens new
   * ones to wherever the connection string now leads. Rate-limited to once per {@link #EVICT_ALL_NANOS}, so a
   * burst of failed calls replaces the pool once.
   */
  void evictAll() {
    long now = System.nanoTime();
    long last = lastEvictAll.get();
    if (now - last < EVICT_ALL_NANOS && last != 0 || !lastEvictAll.compareAndSet(last, now)) {
      return;
    }
    if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
      log.info("the server changed role (switchover or failover): replacing the pool's connections");
      hikari.getHikariPoolMXBean().softEvictConnections();
    }
  }

  private static final long EVICT_ALL_NANOS = 250_000_000L;
  private final java.util.concurrent.atomic.AtomicLong lastEvictAll = new java.util.concurrent.atomic.AtomicLong();

  /** Takes {@code conn} out of the pool for good: its session state cannot be trusted any more. */
  void evict(Connection conn) {
    try {
      if (dataSource instanceof HikariDataSource hikari) {
        hikari.evictConnection(conn);
      } else if (conn.isWrapperFor(PGConnection.class)) {
        // Other pools see a closed physical connection when it comes back, and discard it.
        conn.unwrap(org.postgresql.core.BaseConnection.class).abort(DIRECT);
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("could not evict a connection: {}", e.toString());
    }
  }

  /** A borrowed connection whose settings are restored before it goes back to the pool. */
  public static final class Lease implements AutoCloseable {
    private final Connection conn;
    private final Connections owner;
    private Deadline deadline;
    private StatementWatch.Ticket watched;
    private int oldNetworkTimeout = -1;
    private Boolean oldAutoCommit;
    private boolean evicted;
    private boolean closed;

    Lease(Connection conn, Connections owner, Deadline deadline) {
      this.conn = conn;
      this.owner = owner;
      this.deadline = deadline;
    }

    public Connection connection() {
      return conn;
    }

    /** The attempt's deadline, {@linkplain Deadline#watched() watched} when the lease's connection is. */
    public Deadline deadline() {
      return deadline;
    }

    void prepare(boolean autoCommit) throws SQLException {
      if (conn.isWrapperFor(BaseConnection.class)) {
        BaseConnection pg = conn.unwrap(BaseConnection.class);
        watched = owner.watch.watch(new StatementWatch.Target() {
          @Override
          public void cancel() throws SQLException {
            pg.cancelQuery();
          }

          @Override
          public void abort() throws SQLException {
            conn.abort(DIRECT);
          }
        }, deadline.endNanos());
        deadline = deadline.asWatched();
      } else {
        boundSocket(deadline.remainingMillis() + NETWORK_SLACK_MILLIS);
      }
      boolean current = conn.getAutoCommit();
      if (current != autoCommit) {
        oldAutoCommit = current;
        conn.setAutoCommit(autoCommit);
      }
    }

    /** A connection that is not pgjdbc's: its socket bounds the attempt, and each statement has a timeout. */
    private void boundSocket(long networkTimeoutMillis) throws SQLException {
      try {
        int old = conn.getNetworkTimeout();
        conn.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, Math.max(1, networkTimeoutMillis)));
        oldNetworkTimeout = old;
      } catch (java.sql.SQLFeatureNotSupportedException | AbstractMethodError e) {
        // A wrapped DataSource whose connections cannot do this; the statement timeout still applies.
        log.debug("network timeout not supported: {}", e.toString());
      }
    }

    /**
     * The holdfast exception for {@code e}; a failure that leaves the connection's session in a state that cannot
     * be trusted (a prepared-statement collision behind a pooler, an unconfirmed COMMIT) also evicts it.
     */
    public RuntimeException failed(Exception e, Phase phase) {
      if (SqlFailures.poisonsConnection(e)) {
        evict();
      }
      if (SqlFailures.serverChangedRole(e)) {
        evict();
        owner.evictAll();
      }
      return owner.classify(e, phase);
    }

    private void evict() {
      if (!evicted) {
        evicted = true;
        owner.evict(conn);
      }
    }

    /** Rolls back, ignoring failures: the connection may already be gone. */
    public void rollbackQuietly() {
      try {
        if (!conn.isClosed() && !conn.getAutoCommit()) {
          OneShot.rollback(conn);
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
      // Before anything else: a cancel in flight must not reach the connection's next user.
      if (watched != null && watched.done()) {
        evict();
      }
      try {
        if (!evicted && !conn.isClosed()) {
          if (!OneShot.isIdle(conn)) {
            // A transaction is still open (its ROLLBACK failed): turning autocommit back on would COMMIT it.
            evict();
          } else {
            if (oldAutoCommit != null) {
              conn.setAutoCommit(oldAutoCommit);
            }
            if (oldNetworkTimeout >= 0) {
              conn.setNetworkTimeout(DIRECT, oldNetworkTimeout);
            }
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
