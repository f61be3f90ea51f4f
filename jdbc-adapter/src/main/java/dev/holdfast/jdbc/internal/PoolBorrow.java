package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Takes a connection from a pool holdfast owns without waiting out a failure that will not go away.
 * {@code HikariPool.getConnection(timeout)} waits its whole timeout while its own threads fail to connect, and
 * only then reports the last failure, two causes deep under "request timed out". Here the wait is cut into short
 * slices (5 ms at first, doubling up to 50 ms) and, between them, the {@link Connector} is asked how the latest
 * attempt ended: a login or configuration failure (wrong password, unknown role or database, TLS set up wrongly,
 * "Tenant or user not found") ends the borrow at once, within about one connect round trip.
 *
 * <p>When the pool holds no connection at all and its latest attempt failed, the borrow does not wait for
 * HikariCP's own retries (which back off to five seconds): a failure fresher than {@link #TRANSIENT_FRESH_NANOS}
 * ends it at once with that failure's headline ("Connection refused: host:port"), so that the guard's backoff,
 * retry quota and circuit breaker decide what happens next; an older one is answered by one direct attempt, and a
 * connection that attempt opens is handed to the caller (and closed, not pooled, when released), so the first call
 * after the server returns does not wait for HikariCP's next try. A pool that still holds connections hands them
 * out whatever its latest attempt to grow met. Internal; stateless.
 */
public final class PoolBorrow {
  /**
   * How long one slice of the wait is at most: the delay before a fresh fatal failure is noticed. Slices start at
   * {@link #FIRST_SLICE_MILLIS} and double, so a pool's first attempt (a few milliseconds on a local network) is
   * seen soon after it ends, and a long wait costs few calls.
   */
  static final long SLICE_MILLIS = 50;
  static final long FIRST_SLICE_MILLIS = 5;
  /** How long a fatal answer stands without asking again: a refused login is refused again a moment later. */
  static final long FRESH_NANOS = 1_000_000_000L;
  /**
   * How long a transient answer (refused, timed out) stands before a direct attempt asks again: at most a few
   * connection attempts a second reach a server that is down, and one that is back is found within this.
   */
  static final long TRANSIENT_FRESH_NANOS = 50_000_000L;

  private PoolBorrow() {}

  /** The two things borrowing needs from a pool: HikariPool's bounded wait and its connection count. */
  public interface Pool {
    /**
     * A connection within {@code timeoutMillis}.
     *
     * @throws SQLTransientConnectionException when none came in time
     */
    Connection getConnection(long timeoutMillis) throws SQLException;

    /** Connections the pool holds, in use or idle. */
    int totalConnections();

    /** HikariCP's pool. */
    static Pool of(HikariPool pool) {
      return new Pool() {
        @Override
        public Connection getConnection(long timeoutMillis) throws SQLException {
          return pool.getConnection(timeoutMillis);
        }

        @Override
        public int totalConnections() {
          return pool.getTotalConnections();
        }
      };
    }
  }

  /** A pooled connection within {@code boundMillis}, or the reason there is none. */
  public static Connection borrow(Pool pool, Connector connector, long boundMillis) throws SQLException {
    long start = connector.now();
    long end = start + boundMillis * 1_000_000;
    Connector.Outcome before = connector.latest();
    long mark = before.sequence();
    if (pool.totalConnections() == 0 && before.sequence() > 0) {
      // Nothing pooled to hand out, and the pool has tried: do not wait for its next try.
      long age = start - before.atNanos();
      if (before.failed() && age <= (before.fatal() ? FRESH_NANOS : TRANSIENT_FRESH_NANOS)) {
        throw before.failure();
      }
      Optional<Connector.Probe> probe = connector.probe(remaining(connector, end));
      if (probe.isPresent()) {
        if (probe.get().connection() != null) {
          return probe.get().connection();
        }
        throw probe.get().outcome().failure();
      }
    }
    while (true) {
      long elapsed = (connector.now() - start) / 1_000_000;
      long slice = Math.max(1, Math.min(remaining(connector, end),
          Math.min(SLICE_MILLIS, Math.max(FIRST_SLICE_MILLIS, elapsed))));
      SQLTransientConnectionException timedOut;
      try {
        return pool.getConnection(slice);
      } catch (SQLTransientConnectionException e) {
        timedOut = e;
      }
      Connector.Outcome latest = connector.latest();
      // A failure met while waiting ends the wait when it will not go away, or when nothing pooled can come free.
      if (latest.failed() && latest.sequence() > mark && (latest.fatal() || pool.totalConnections() == 0)) {
        throw latest.failure();
      }
      if (remaining(connector, end) <= 0) {
        throw exhausted(pool, latest, mark, boundMillis, timedOut);
      }
    }
  }

  private static long remaining(Connector connector, long end) {
    return (end - connector.now()) / 1_000_000;
  }

  private static SQLException exhausted(Pool pool, Connector.Outcome latest, long mark, long boundMillis,
      SQLTransientConnectionException timedOut) {
    if (latest.failed() && (latest.sequence() > mark || pool.totalConnections() == 0)) {
      return new SQLTransientConnectionException(latest.failure().getMessage() + "; no connection within "
          + boundMillis + " ms", latest.failure().getSQLState(), latest.failure());
    }
    return new SQLTransientConnectionException("No pooled connection became free within " + boundMillis
        + " ms: all " + pool.totalConnections() + " connections are in use", null, timedOut);
  }
}
