package dev.holdfast.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Call;
import dev.holdfast.Guard;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.jdbc.internal.Connections;
import dev.holdfast.jdbc.internal.Deadline;
import dev.holdfast.jdbc.internal.RowReader;
import dev.holdfast.jdbc.internal.Statements;
import dev.holdfast.jdbc.internal.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Runs units of work in a database transaction as one guarded call: the whole unit is what is retried.
 *
 * <p>A unit is run again, from the start and in a new transaction, when it fails with a serialization failure
 * (40001), a deadlock (40P01), a lock timeout (55P03), or a lost connection before COMMIT was sent, because in
 * each case PostgreSQL rolled the transaction back. A connection lost while COMMIT was in flight ends in
 * {@link dev.holdfast.UnknownOutcomeException} and is never re-run silently. Because of that, the unit must not
 * have effects outside the database (send the email after {@code inTransaction} returns). How many attempts, and
 * how long between them, is the guard's {@link dev.holdfast.ResiliencePolicy}.
 *
 * <pre>{@code
 * JdbcTransactions transactions = JdbcTransactions.of(db);
 * long balance = transactions.inTransaction("transfer", tx -> {
 *   tx.update("UPDATE accounts SET balance = balance - ? WHERE id = ?", 100, from);
 *   tx.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", 100, to);
 *   return tx.query("SELECT balance FROM accounts WHERE id = ?", from).get(0).get("balance").longValue();
 * });
 * }</pre>
 *
 * <p>Immutable and thread-safe; each call uses its own connection.
 */
public final class JdbcTransactions {
  /** Transaction isolation levels. */
  public enum Isolation { READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE }

  /** A unit of work run inside a transaction. */
  @FunctionalInterface
  public interface Unit<T> {
    /** Runs the unit; may be called more than once, each time in a new transaction. */
    T run(JdbcTransaction tx) throws Exception;
  }

  private final JdbcBackend backend;
  private final Guard guard;
  private final Isolation isolation;

  private JdbcTransactions(JdbcBackend backend, Guard guard, Isolation isolation) {
    this.backend = backend;
    this.guard = guard;
    this.isolation = isolation;
  }

  /**
   * Transactions over {@code db}'s JDBC backend and guard.
   *
   * @throws IllegalArgumentException if {@code db}'s backend is not a {@link JdbcBackend}
   */
  public static JdbcTransactions of(Holdfast db) {
    Objects.requireNonNull(db, "db");
    if (!(db.backend() instanceof JdbcBackend jdbc)) {
      throw new IllegalArgumentException("JdbcTransactions needs a JdbcBackend, not " + db.backend().name());
    }
    return new JdbcTransactions(jdbc, db.guard(), Isolation.READ_COMMITTED);
  }

  /** Transactions over {@code backend}, run under {@code guard}. */
  public static JdbcTransactions of(JdbcBackend backend, Guard guard) {
    return new JdbcTransactions(Objects.requireNonNull(backend, "backend"), Objects.requireNonNull(guard, "guard"),
        Isolation.READ_COMMITTED);
  }

  /** A copy that runs transactions at {@code isolation}. */
  public JdbcTransactions withIsolation(Isolation isolation) {
    return new JdbcTransactions(backend, guard, Objects.requireNonNull(isolation, "isolation"));
  }

  /** Runs {@code unit} in a transaction named {@code jdbc.transaction}; returns its result. */
  public <T> T inTransaction(Unit<T> unit) {
    return inTransaction("jdbc.transaction", unit);
  }

  /**
   * Runs {@code unit} in a transaction as the guarded call {@code operation}, retrying the whole unit where that
   * is safe; returns its result.
   *
   * @throws HoldfastException when it fails for good; an exception the unit throws itself reaches the caller
   *     unchanged (wrapped in {@link java.util.concurrent.CompletionException} if it is checked)
   */
  public <T> T inTransaction(String operation, Unit<T> unit) {
    return inTransaction(Call.write(Objects.requireNonNull(operation, "operation")), unit);
  }

  /**
   * Runs {@code unit} in a transaction as {@code call}. Use {@link Call#read} for a read-only unit, or
   * {@link Call#idempotentWrite} for one that is safe to repeat, so that a connection lost while COMMIT was in
   * flight is retried instead of ending in {@link dev.holdfast.UnknownOutcomeException}; a policy override on the
   * call applies to this unit only.
   */
  public <T> T inTransaction(Call call, Unit<T> unit) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(unit, "unit");
    Connections connections = backend.connections();
    return guard.call(call, ctx -> connections.write(ctx, (conn, deadline) -> {
      if (isolation != Isolation.READ_COMMITTED) {
        try (PreparedStatement ps = conn.prepareStatement("SET TRANSACTION ISOLATION LEVEL "
            + isolation.name().replace('_', ' ').toLowerCase(Locale.ROOT))) {
          Statements.timeout(ps, deadline.requireRemainingMillis());
          ps.execute();
        }
      }
      try {
        return unit.run(new Tx(conn, deadline));
      } catch (SQLException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }));
  }

  @Override
  public String toString() {
    return "JdbcTransactions{" + backend + ", isolation=" + isolation + "}";
  }

  private static final class Tx implements JdbcTransaction {
    private final Connection conn;
    private final Deadline deadline;

    Tx(Connection conn, Deadline deadline) {
      this.conn = conn;
      this.deadline = deadline;
    }

    @Override
    public long update(String sql, Object... params) {
      try (PreparedStatement ps = prepare(sql, params)) {
        return ps.executeLargeUpdate();
      } catch (SQLException e) {
        throw sneaky(e);
      }
    }

    @Override
    public List<ObjectNode> query(String sql, Object... params) {
      try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
        List<ObjectNode> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(RowReader.read(rs));
        }
        return rows;
      } catch (SQLException e) {
        throw sneaky(e);
      }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
      Objects.requireNonNull(sql, "sql");
      PreparedStatement ps = conn.prepareStatement(sql);
      try {
        Statements.timeout(ps, deadline.requireRemainingMillis());
        for (int i = 0; i < params.length; i++) {
          Values.bindJava(ps, i + 1, params[i]);
        }
        return ps;
      } catch (SQLException | RuntimeException e) {
        ps.close();
        throw e;
      }
    }

    @Override
    public Connection connection() {
      return conn;
    }

    @Override
    public Duration remaining() {
      return Duration.ofMillis(deadline.remainingMillis());
    }
  }

  /** Rethrows a SQLException unchecked, so the unit's code stays plain and the engine classifies it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
