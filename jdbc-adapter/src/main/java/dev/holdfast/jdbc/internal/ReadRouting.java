package dev.holdfast.jdbc.internal;

import dev.holdfast.CallContext;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reads to replicas and the rest to the primary. A read goes to the next replica in turn that is not
 * marked down, after one check on the connection leased from it: the server's replay lag must be within the
 * bound, and under read-your-writes its replay position must have reached the scope's last write. A replica that
 * fails the check is skipped; one that fails the read (or does not answer the check within {@link #CHECK_MILLIS})
 * is marked down for {@link #DOWN_NANOS} and the next one (at
 * last the primary) serves the read, within the same call's timeout: each replica gets at most half of what is
 * left, so the primary always has the other half.
 *
 * <p>Only the repository's and key-value store's reads are routed (operations named {@code find},
 * {@code findById}, {@code count}, {@code page}, {@code stream}, {@code get}, {@code getMany},
 * {@code getByPrefix}); a read made while recovering a write (an insert's read-back) goes to the primary, which is
 * where the write went. Internal; thread-safe.
 */
public final class ReadRouting {
  private static final Logger log = LoggerFactory.getLogger(ReadRouting.class);
  static final Set<String> READS = Set.of("find", "findById", "count", "page", "stream", "get", "getMany",
      "getByPrefix");
  static final long DOWN_NANOS = 1_000_000_000L;
  /** How long the check before a replica read may take: a local round trip, or a few across regions. */
  static final long CHECK_MILLIS = 250;
  /** Below this a replica is not worth trying: the primary gets what is left. */
  private static final long MIN_REPLICA_MILLIS = 20;
  private static final String CHECK = "SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn()::text, ''), "
      + "CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
      + "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END";

  /** A replica's pool, and until when it is skipped. */
  public static final class Replica {
    private final String name;
    private final Set<String> servers;
    private final Connections connections;
    private volatile long downUntil = System.nanoTime();

    /** @param name the replica's host:port, or several of them separated by commas */
    public Replica(String name, Connections connections) {
      this.name = name;
      this.servers = Set.of(name.toLowerCase(java.util.Locale.ROOT).split(","));
      this.connections = connections;
    }

    boolean down(long now) {
      return now - downUntil < 0;
    }

    @Override
    public String toString() {
      return "replica " + name;
    }
  }

  /** Why a replica's connection was not used; never leaves this class. */
  private static final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skip(String why) {
      super(why, null, false, false);
    }
  }

  private final List<Replica> replicas;
  private final double maxLagSeconds;
  private final WalPositions positions;
  private final AtomicInteger next = new AtomicInteger();

  public ReadRouting(List<Replica> replicas, Duration maxLag, WalPositions positions) {
    this.replicas = List.copyOf(replicas);
    this.maxLagSeconds = maxLag.toNanos() / 1e9;
    this.positions = positions;
  }

  /** Whether {@code ctx} is a read that may go to a replica. */
  boolean routes(CallContext ctx) {
    if (replicas.isEmpty()) {
      return false;
    }
    String op = ctx.operation();
    return READS.contains(op.substring(op.lastIndexOf('.') + 1));
  }

  /** Runs read-only {@code work} on a replica that is recent enough, or else on {@code primary}. */
  <T> T read(CallContext ctx, Connections primary, Connections.Work<T> work) {
    if (!routes(ctx)) {
      return primary.read(ctx, work);
    }
    long end = System.nanoTime() + ctx.timeout().toNanos();
    long position = positions.required();
    long required = position == WalPositions.UNKNOWN ? 0 : position;
    HoldfastException last = null;
    Tries tries = tries(position);
    for (int i = 0; i < tries.count(); i++) {
      Replica r = replica(tries, i);
      long now = System.nanoTime();
      long share = (end - now) / 2_000_000;
      if (r.down(now) || share < MIN_REPLICA_MILLIS) {
        continue;
      }
      try {
        return r.connections.read(new CallContext(ctx.operation(), ctx.attempt(), Duration.ofMillis(share)),
            (c, d) -> {
              check(c, d, required);
              return work.run(c, d);
            });
      } catch (Skip e) {
        log.debug("{} skipped: {}", r, e.getMessage());
      } catch (TransientException e) {
        // Down, unreachable or restarting: the next replica or the primary serves this read, and later reads
        // skip this one for a moment instead of each paying for the failure.
        r.downUntil = System.nanoTime() + DOWN_NANOS;
        log.debug("{} failed a read, which falls back: {}", r, e.toString());
        last = e;
      }
    }
    long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
    try {
      return primary.read(new CallContext(ctx.operation(), ctx.attempt(), Duration.ofMillis(left)), work);
    } catch (HoldfastException e) {
      if (last != null) {
        e.addSuppressed(last);
      }
      throw e;
    }
  }

  /** A cursor's lease on a replica that is recent enough, or else on {@code primary}. */
  Connections.Lease cursor(CallContext ctx, Connections primary) {
    if (!routes(ctx)) {
      return primary.openForCursor(ctx);
    }
    long end = System.nanoTime() + ctx.timeout().toNanos();
    long position = positions.required();
    long required = position == WalPositions.UNKNOWN ? 0 : position;
    Tries tries = tries(position);
    for (int i = 0; i < tries.count(); i++) {
      Replica r = replica(tries, i);
      long now = System.nanoTime();
      long share = (end - now) / 2_000_000;
      if (r.down(now) || share < MIN_REPLICA_MILLIS) {
        continue;
      }
      Connections.Lease lease = null;
      try {
        lease = r.connections.openForCursor(new CallContext(ctx.operation(), ctx.attempt(),
            Duration.ofMillis(share)));
        check(lease.connection(), Deadline.after(Duration.ofMillis(share)), required);
        return lease;
      } catch (Skip e) {
        log.debug("{} skipped: {}", r, e.getMessage());
      } catch (TransientException | SQLException e) {
        r.downUntil = System.nanoTime() + DOWN_NANOS;
        log.debug("{} failed to open a cursor, which falls back: {}", r, e.toString());
      }
      if (lease != null) {
        lease.rollbackQuietly();
        lease.close();
      }
    }
    long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
    return primary.openForCursor(new CallContext(ctx.operation(), ctx.attempt(), Duration.ofMillis(left)));
  }

  /**
   * The replicas a read in a scope that must see {@code position} may try, in order: all of them, starting with
   * the next in turn; when the position is unknown, only the server the write committed on (a demoted primary
   * still holds it), or none.
   */
  private Tries tries(long position) {
    if (position != WalPositions.UNKNOWN) {
      return new Tries(null, Math.floorMod(next.getAndIncrement(), replicas.size()), replicas.size());
    }
    String on = positions.unknownOn();
    if (on != null) {
      String server = on.toLowerCase(java.util.Locale.ROOT);
      for (Replica r : replicas) {
        if (r.servers.contains(server)) {
          return new Tries(r, 0, 1);
        }
      }
    }
    return new Tries(null, 0, 0);
  }

  /** Which replicas to try: {@code only}, or {@code count} of them in turn from {@code first}. */
  private record Tries(Replica only, int first, int count) {}

  /** The {@code i}-th replica {@code tries} names. */
  private Replica replica(Tries tries, int i) {
    return tries.only() != null ? tries.only() : replicas.get((tries.first() + i) % replicas.size());
  }

  private void check(Connection c, Deadline d, long required) throws SQLException {
    try (PreparedStatement ps = Statements.prepare(c, CHECK)) {
      // A replica whose replay is held back can also hold the locks of the transaction it stopped in, catalogs'
      // included, so that even this statement waits: give up on it soon, and on the replica for a moment.
      Statements.timeout(ps, Math.min(d.requireRemainingMillis(), CHECK_MILLIS));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          // A replica promoted by a failover is the primary now: it holds every committed write.
          return;
        }
        double lag = rs.getDouble(3);
        if (lag > maxLagSeconds) {
          throw new Skip("replay lag " + lag + " s");
        }
        if (required > 0 && WalPositions.parse(rs.getString(2)) < required) {
          // The positions only for a debug log: a lagging replica skips many reads, each building this.
          throw new Skip(log.isDebugEnabled() ? "has not replayed the scope's last write yet (replayed "
              + rs.getString(2) + ", the write ends at " + WalPositions.format(required) + ")"
              : "has not replayed the scope's last write yet");
        }
      }
    }
  }

  /** The replicas, for closing and health reports. */
  public List<Replica> replicas() {
    return replicas;
  }
}
