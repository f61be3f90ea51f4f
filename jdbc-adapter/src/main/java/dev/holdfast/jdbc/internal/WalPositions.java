package dev.holdfast.jdbc.internal;

import dev.holdfast.jdbc.ReadYourWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL positions that reads must see, for read-your-writes: the primary's position after each write, kept
 * per thread or per backend ({@link ReadYourWrites}). Internal; thread-safe.
 */
public final class WalPositions {
  private static final Logger log = LoggerFactory.getLogger(WalPositions.class);
  /** A write whose position is not known: only the primary is sure to hold it. */
  static final long UNKNOWN = Long.MAX_VALUE;

  private final ReadYourWrites scope;
  private final ThreadLocal<Anchor> perThread = ThreadLocal.withInitial(Anchor::new);
  private final AtomicLong perBackend = new AtomicLong();
  private volatile String backendUnknownOn;
  private static final long UNKNOWN_HOLD_NANOS = 10_000_000_000L;
  private volatile long primaryUntilNanos = System.nanoTime();

  public WalPositions(ReadYourWrites scope) {
    this.scope = scope;
  }

  boolean enabled() {
    return scope != ReadYourWrites.OFF;
  }

  /** A thread's last write: its position, and where it committed when the position is unknown. */
  private static final class Anchor {
    long lsn;
    String unknownOn;
  }

  /** Reads the primary's position on {@code conn}, right after a write committed on it. */
  void afterCommit(Connection conn, long timeoutMillis) {
    if (!enabled()) {
      return;
    }
    // Taken first (a field read, named only on failure): a pool replaces the connection of a failed statement
    // with a closed stand-in.
    HostSpec server = hostSpec(conn);
    long lsn;
    try {
      if (!conn.getAutoCommit()) {
        // The write's transaction has just committed: with autocommit off this statement would open another,
        // which would then be open when the lease ends (and the connection evicted). Nothing is sent for this.
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      wrote(UNKNOWN, name(server));
      return;
    }
    try (PreparedStatement ps = Statements.prepare(conn, "SELECT pg_current_wal_lsn()::text")) {
      Statements.timeout(ps, Math.max(1, timeoutMillis));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        lsn = parse(rs.getString(1));
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("could not read the WAL position after a write; reads go to the server it committed on ({}): {}",
          server, e.toString());
      wrote(UNKNOWN, name(server));
      return;
    }
    wrote(lsn, null);
  }

  /**
   * The server (host:port) {@code conn} is connected to, or null. It holds every transaction it committed, in
   * whatever role it has later: a demoted primary is a standby that has replayed all of its own WAL.
   */
  static String server(Connection conn) {
    return name(hostSpec(conn));
  }

  private static HostSpec hostSpec(Connection conn) {
    try {
      return conn.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  private static String name(HostSpec server) {
    return server == null ? null : server.toString();
  }

  void wrote(long lsn) {
    wrote(lsn, null);
  }

  /** A write at {@code lsn}; when that is UNKNOWN, {@code server} is where it committed (or null). */
  void wrote(long lsn, String server) {
    if (scope == ReadYourWrites.THREAD) {
      Anchor mine = perThread.get();
      // A position read later is never lower, except UNKNOWN, which the next known write replaces.
      // Two writes of unknown position on different servers: neither server need hold both, the primary does.
      mine.unknownOn = lsn != UNKNOWN ? null : mine.lsn == UNKNOWN && !Objects.equals(mine.unknownOn, server) ? null
          : server;
      mine.lsn = mine.lsn == UNKNOWN ? lsn : Math.max(mine.lsn, lsn);
    } else if (scope == ReadYourWrites.BACKEND) {
      if (lsn == UNKNOWN) {
        // Not for ever, as one thread's UNKNOWN is: every thread shares it, and no later write would clear it.
        long now = System.nanoTime();
        backendUnknownOn = now - primaryUntilNanos < 0 && !Objects.equals(backendUnknownOn, server) ? null : server;
        primaryUntilNanos = now + UNKNOWN_HOLD_NANOS;
      } else {
        perBackend.accumulateAndGet(lsn, Math::max);
      }
    }
  }

  /** The position a read in the current scope must see; 0 when none. */
  long required() {
    return switch (scope) {
      case OFF -> 0;
      case THREAD -> perThread.get().lsn;
      case BACKEND -> System.nanoTime() - primaryUntilNanos < 0 ? UNKNOWN : perBackend.get();
    };
  }

  /**
   * When {@link #required()} is UNKNOWN: the server the write committed on (host:port), which may serve the read
   * whatever its role; null when that is not known either, and only the primary may.
   */
  String unknownOn() {
    return switch (scope) {
      case OFF -> null;
      case THREAD -> perThread.get().unknownOn;
      case BACKEND -> backendUnknownOn;
    };
  }

  /** A byte position in PostgreSQL's {@code X/Y} text form. */
  static String format(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
  }

  /** PostgreSQL's {@code X/Y} text form as a byte position. */
  static long parse(String lsn) {
    if (lsn == null || lsn.isEmpty()) {
      return 0;
    }
    int slash = lsn.indexOf('/');
    return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
  }
}
