package dev.holdfast.jdbc;

import dev.holdfast.Call;
import dev.holdfast.Guard;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransactionOptions;
import java.util.Objects;

/**
 * Runs units of raw SQL in a database transaction as one guarded call: the whole unit is what is retried. For
 * typed repositories in a transaction use {@link dev.holdfast.Holdfast#inTransaction}, where
 * {@code tx.unwrap(JdbcTransaction.class)} gives the same raw SQL.
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
    TransactionOptions options = TransactionOptions.defaults().withIsolation(switch (isolation) {
      case READ_COMMITTED -> TransactionOptions.Isolation.DEFAULT;
      case REPEATABLE_READ -> TransactionOptions.Isolation.REPEATABLE_READ;
      case SERIALIZABLE -> TransactionOptions.Isolation.SERIALIZABLE;
    });
    return guard.call(call, ctx -> backend.inTransaction(ctx, options,
        bound -> unit.run(bound.unwrap(JdbcTransaction.class).orElseThrow())));
  }

  @Override
  public String toString() {
    return "JdbcTransactions{" + backend + ", isolation=" + isolation + "}";
  }

}
