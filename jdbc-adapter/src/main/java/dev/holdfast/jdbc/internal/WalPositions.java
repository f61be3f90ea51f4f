package dev.holdfast.jdbc.internal;

import dev.holdfast.jdbc.ReadYourWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
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
  private final ThreadLocal<long[]> perThread = ThreadLocal.withInitial(() -> new long[1]);
  private final AtomicLong perBackend = new AtomicLong();
  private static final long UNKNOWN_HOLD_NANOS = 10_000_000_000L;
  private volatile long primaryUntilNanos = System.nanoTime();

  public WalPositions(ReadYourWrites scope) {
    this.scope = scope;
  }

  boolean enabled() {
    return scope != ReadYourWrites.OFF;
  }

  /** Reads the primary's position on {@code conn}, right after a write committed on it. */
  void afterCommit(Connection conn, long timeoutMillis) {
    if (!enabled()) {
      return;
    }
    long lsn;
    try {
      if (!conn.getAutoCommit()) {
        // The write's transaction has just committed: with autocommit off this statement would open another,
        // which would then be open when the lease ends (and the connection evicted). Nothing is sent for this.
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      wrote(UNKNOWN);
      return;
    }
    try (PreparedStatement ps = Statements.prepare(conn, "SELECT pg_current_wal_lsn()::text")) {
      Statements.timeout(ps, Math.max(1, timeoutMillis));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        lsn = parse(rs.getString(1));
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("could not read the WAL position after a write; reads go to the primary: {}", e.toString());
      lsn = UNKNOWN;
    }
    wrote(lsn);
  }

  void wrote(long lsn) {
    if (scope == ReadYourWrites.THREAD) {
      long[] mine = perThread.get();
      // A position read later is never lower, except UNKNOWN, which the next known write replaces.
      mine[0] = mine[0] == UNKNOWN ? lsn : Math.max(mine[0], lsn);
    } else if (scope == ReadYourWrites.BACKEND) {
      if (lsn == UNKNOWN) {
        // Not for ever, as one thread's UNKNOWN is: every thread shares it, and no later write would clear it.
        primaryUntilNanos = System.nanoTime() + UNKNOWN_HOLD_NANOS;
      } else {
        perBackend.accumulateAndGet(lsn, Math::max);
      }
    }
  }

  /** The position a read in the current scope must see; 0 when none. */
  long required() {
    return switch (scope) {
      case OFF -> 0;
      case THREAD -> perThread.get()[0];
      case BACKEND -> System.nanoTime() - primaryUntilNanos < 0 ? UNKNOWN : perBackend.get();
    };
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
