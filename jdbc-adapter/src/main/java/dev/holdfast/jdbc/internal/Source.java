package dev.holdfast.jdbc.internal;

import dev.holdfast.CallContext;
import dev.holdfast.WriteMode;
import dev.holdfast.jdbc.internal.SqlFailures.Phase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where operations get their connection: leased from the pool for each call, or the one connection of a
 * transaction in progress. Internal; thread-safe for the pool, confined to the unit's thread for a transaction.
 */
public interface Source {
  /** Runs read-only {@code work}. */
  <T> T read(CallContext ctx, Connections.Work<T> work);

  /**
   * Runs {@code work}, which writes: in {@link WriteMode#CONFIRMED}, in a transaction of its own committed
   * separately; in {@link WriteMode#ONE_ROUND_TRIP}, in autocommit.
   */
  <T> T write(CallContext ctx, WriteMode mode, Connections.Work<T> work);

  /** A connection for a cursor, inside a transaction; closing the lease ends what the source began. */
  Cursor cursor(CallContext ctx);

  /** The holdfast exception for {@code e}, thrown on this source's connection in {@code phase}. */
  RuntimeException classify(Exception e, Phase phase);

  /** A connection a cursor reads through, and how to let go of it. */
  interface Cursor extends AutoCloseable {
    Connection connection();

    Deadline deadline();

    /** Ends the cursor's use of the connection (and, for a pooled lease, its transaction and the lease). */
    @Override
    void close();
  }

  /** The connections of {@code pool}, one leased per call. */
  static Source pooled(Connections pool) {
    return new Source() {
      @Override
      public <T> T read(CallContext ctx, Connections.Work<T> work) {
        return pool.read(ctx, work);
      }

      @Override
      public <T> T write(CallContext ctx, WriteMode mode, Connections.Work<T> work) {
        // Autocommit is the read path: one round trip, and a failure after sending may have applied.
        return mode == WriteMode.CONFIRMED ? pool.write(ctx, work) : pool.writeAutocommit(ctx, work);
      }

      @Override
      public Cursor cursor(CallContext ctx) {
        Connections.Lease lease = pool.openForCursor(ctx);
        Deadline deadline = lease.deadline();
        return new Cursor() {
          @Override
          public Connection connection() {
            return lease.connection();
          }

          @Override
          public Deadline deadline() {
            return deadline;
          }

          @Override
          public void close() {
            lease.rollbackQuietly();
            lease.close();
          }
        };
      }

      @Override
      public RuntimeException classify(Exception e, Phase phase) {
        return pool.classify(e, phase);
      }
    };
  }

  /**
   * The connections of {@code primary}, one leased per call, with reads sent to replicas by {@code routing}.
   */
  static Source routed(Connections primary, ReadRouting routing) {
    Source plain = pooled(primary);
    return new Source() {
      @Override
      public <T> T read(CallContext ctx, Connections.Work<T> work) {
        return routing.read(ctx, primary, work);
      }

      @Override
      public <T> T write(CallContext ctx, WriteMode mode, Connections.Work<T> work) {
        return plain.write(ctx, mode, work);
      }

      @Override
      public Cursor cursor(CallContext ctx) {
        Connections.Lease lease = routing.cursor(ctx, primary);
        Deadline deadline = Deadline.after(ctx.timeout());
        return new Cursor() {
          @Override
          public Connection connection() {
            return lease.connection();
          }

          @Override
          public Deadline deadline() {
            return deadline;
          }

          @Override
          public void close() {
            lease.rollbackQuietly();
            lease.close();
          }
        };
      }

      @Override
      public RuntimeException classify(Exception e, Phase phase) {
        return primary.classify(e, phase);
      }
    };
  }

  /**
   * The connection of a transaction in progress, until {@code deadline}: calls run on it directly, and a failure
   * is one before COMMIT (nothing of the transaction is applied).
   */
  static Source within(Connection conn, Deadline deadline, Connections pool) {
    return new Source() {
      @Override
      public <T> T read(CallContext ctx, Connections.Work<T> work) {
        return run(work);
      }

      @Override
      public <T> T write(CallContext ctx, WriteMode mode, Connections.Work<T> work) {
        return run(work);
      }

      private <T> T run(Connections.Work<T> work) {
        try {
          return work.run(conn, deadline);
        } catch (SQLException | RuntimeException e) {
          throw classify(e, Phase.BEFORE_COMMIT);
        }
      }

      @Override
      public Cursor cursor(CallContext ctx) {
        return new Cursor() {
          @Override
          public Connection connection() {
            return conn;
          }

          @Override
          public Deadline deadline() {
            return deadline;
          }

          @Override
          public void close() {
            // The transaction goes on; only the cursor's statement closes.
          }
        };
      }

      @Override
      public RuntimeException classify(Exception e, Phase phase) {
        return pool.classify(e, phase);
      }
    };
  }
}
