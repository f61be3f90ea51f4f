package dev.holdfast.spi;

import dev.holdfast.CallContext;
import dev.holdfast.Capabilities;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthCheck;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.TransactionOptions;
import dev.holdfast.WriteMode;
import java.util.List;
import java.util.Map;

/**
 * What an adapter implements so the same {@link dev.holdfast.Repository} and {@link dev.holdfast.KeyValueStore}
 * code runs over JDBC, PostgREST or memory unchanged. Rows cross this interface as records, described by a
 * {@link TableMapping} (which also states the one mapping contract every backend keeps); holdfast-core chunks
 * batches, verifies ambiguous writes, and runs every call under the resilience policy, so a backend makes one
 * attempt per method call and throws holdfast's exception types (or lets its {@link ErrorClassifier} classify what
 * it throws).
 *
 * <p>Rules every backend follows (the testkit's contract suite checks them):
 * <ul>
 *   <li>column names in tables, filters, orders and changes are already validated identifiers; values are always
 *       bound or encoded as values, never spliced into a statement or URL;</li>
 *   <li>each method honours {@link CallContext#timeout()} for the request it sends;</li>
 *   <li>an insert of a key that exists throws {@link dev.holdfast.ConflictException}; a missing table throws
 *       {@link dev.holdfast.SchemaMismatchException};</li>
 *   <li>a write in {@link WriteMode#CONFIRMED} that fails before its commit was sent throws a transient failure
 *       saying the request was not applied; in {@link WriteMode#ONE_ROUND_TRIP}, one saying it may have been.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. {@link #close()} releases everything the backend created (pools, threads,
 * sockets) and is idempotent; resources the user passed in (their DataSource or HTTP client) stay open.
 */
public interface Backend extends HealthCheck, AutoCloseable {
  /** A short name for messages and metrics, such as {@code jdbc}, {@code postgrest} or {@code memory}. */
  String name();

  /** What the backend can do beyond the calls below; by default nothing. */
  default Capabilities capabilities() {
    return Capabilities.requestsOnly();
  }

  /** The rows matching {@code query}, in its order, within its limit and offset. */
  <T> List<T> select(CallContext context, TableMapping<T> table, Query query);

  /** How many rows match {@code filter}. */
  long count(CallContext context, TableRef table, Filter filter);

  /**
   * Opens a cursor over the rows matching {@code query}, fetching {@code fetchSize} rows at a time, so that
   * memory stays bounded however many rows match.
   */
  <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize);

  /**
   * Inserts {@code rows} in one round trip (or one statement, in {@link WriteMode#CONFIRMED} followed by its
   * COMMIT), writing {@code columns} of each (the others take their column defaults), and returns them as stored
   * (with generated columns). A duplicate key throws {@link dev.holdfast.ConflictException}.
   */
  <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode);

  /**
   * Inserts {@code rows}, or updates every other column of the existing row where one with the same
   * {@code conflictColumns} exists, in one statement; returns the rows as stored.
   */
  <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflictColumns,
      WriteMode mode);

  /**
   * Sets {@code changes} (column to Java value, in order) on the rows matching {@code filter}; returns the updated
   * rows.
   */
  <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode);

  /** Deletes the rows matching {@code filter}; returns how many were deleted. */
  long delete(CallContext context, TableRef table, Filter filter, WriteMode mode);

  /**
   * Runs {@code work} in one transaction bounded by {@code context}'s timeout, handing it a backend whose calls
   * all belong to that transaction, and commits it when the work returns. Failures are classified as for any
   * write in {@link WriteMode#CONFIRMED}: before COMMIT nothing was applied; a connection lost during COMMIT
   * leaves the outcome open. Only backends whose {@link #capabilities()} say {@code transactions} support it.
   *
   * @throws InvalidRequestException by default: this backend has no multi-statement transactions
   */
  default <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    throw new InvalidRequestException("The " + name() + " backend has no multi-statement transactions",
        ErrorDetails.of(name()).withHint("Write the statements as one SQL function and call it as one request."),
        null);
  }

  /**
   * This backend's own view as {@code type}, for what the SPI cannot say: a transaction-bound JDBC backend gives
   * a {@code JdbcTransaction} for raw SQL. Empty by default.
   */
  default <X> java.util.Optional<X> unwrap(Class<X> type) {
    return java.util.Optional.empty();
  }

  /** The most rows holdfast sends in one insert or upsert round trip. */
  default int maxBatchSize() {
    return 500;
  }

  /** The classifier for what this backend throws that is not already a holdfast exception. */
  default ErrorClassifier errorClassifier() {
    return (failure, backend) -> java.util.Optional.empty();
  }

  /** Releases what the backend created. Idempotent. */
  @Override
  void close();
}
