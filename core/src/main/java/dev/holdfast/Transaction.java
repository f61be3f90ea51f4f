package dev.holdfast;

/**
 * One database transaction, handed to the unit of {@link Holdfast#inTransaction}: repositories bound to it, and
 * the backend's own handle for raw statements. Calls through it are not retried one by one — the unit as a whole
 * is — and they end with the unit: do not keep the repositories beyond it. Not thread-safe: use it on the thread
 * that runs the unit.
 *
 * <pre>{@code
 * Order placed = db.inTransaction(tx -> {
 *   Order order = tx.repository(ORDERS).insert(new Order(null, customer, total));
 *   tx.repository(STOCK).updateById(item, Changes.increment("reserved", 1));
 *   return order;
 * });
 * }</pre>
 */
public interface Transaction {
  /**
   * A unit of work run in a transaction; it may run more than once, each time in a new transaction.
   *
   * @param <R> what it returns
   */
  @FunctionalInterface
  interface Unit<R> {
    R run(Transaction tx) throws Exception;
  }

  /** A repository over {@code table} whose calls run in this transaction. */
  <T, ID> Repository<T, ID> repository(Table<T, ID> table);

  /**
   * The backend's own view of this transaction, for what repositories cannot say: on JDBC
   * {@code tx.unwrap(JdbcTransaction.class)} runs raw SQL on the transaction's connection.
   *
   * @throws IllegalArgumentException if the backend has no such view
   */
  <X> X unwrap(Class<X> type);

  /** The options the transaction runs with. */
  TransactionOptions options();
}
