package dev.holdfast.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HealthCheck;
import dev.holdfast.Query;
import java.util.List;

/**
 * What an adapter implements so the same {@link dev.holdfast.Repository} and {@link dev.holdfast.KeyValueStore}
 * code runs over JDBC, PostgREST or memory unchanged. Rows cross this interface as Jackson {@link ObjectNode}s
 * keyed by column name; holdfast-core maps them to records, chunks batches, and runs every call under the
 * resilience policy, so a backend makes one attempt per method call and throws holdfast's exception types
 * (or lets its {@link ErrorClassifier} classify what it throws).
 *
 * <p>Rules every backend follows (the testkit's contract suite checks them):
 * <ul>
 *   <li>column names in tables, filters, orders and changes are already validated identifiers; values are always
 *       bound or encoded as values, never spliced into a statement or URL;</li>
 *   <li>each method honours {@link CallContext#timeout()} for the request it sends;</li>
 *   <li>a row's JSON values: strings, numbers, booleans, null, and objects or arrays for json/jsonb columns;
 *       timestamps as ISO-8601 strings;</li>
 *   <li>an insert of a key that exists throws {@link dev.holdfast.ConflictException}; a missing table throws
 *       {@link dev.holdfast.SchemaMismatchException}.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. {@link #close()} releases everything the backend created (pools, threads,
 * sockets) and is idempotent; resources the user passed in (their DataSource or HTTP client) stay open.
 */
public interface Backend extends HealthCheck, AutoCloseable {
  /** A short name for messages and metrics, such as {@code jdbc}, {@code postgrest} or {@code memory}. */
  String name();

  /** The rows matching {@code query}, in its order, within its limit and offset. */
  List<ObjectNode> select(CallContext context, TableRef table, Query query);

  /** How many rows match {@code filter}. */
  long count(CallContext context, TableRef table, Filter filter);

  /**
   * Opens a cursor over the rows matching {@code query}, fetching {@code fetchSize} rows at a time, so that
   * memory stays bounded however many rows match.
   */
  RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize);

  /**
   * Inserts {@code rows} in one round trip and returns them as stored (with generated columns). Every row has
   * the same columns. A duplicate key throws {@link dev.holdfast.ConflictException}.
   */
  List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows);

  /**
   * Inserts {@code rows}, or updates the existing row where one with the same {@code conflictColumns} exists, in
   * one round trip; returns the rows as stored. Every row has the same columns.
   */
  List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows, List<String> conflictColumns);

  /** Sets {@code changes} on the rows matching {@code filter}; returns the updated rows. */
  List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes);

  /** Deletes the rows matching {@code filter}; returns how many were deleted. */
  long delete(CallContext context, TableRef table, Filter filter);

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
