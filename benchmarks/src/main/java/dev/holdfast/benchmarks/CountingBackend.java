package dev.holdfast.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.ErrorClassifier;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
import java.util.List;

/**
 * Delegates to a backend and counts, per thread, the attempts that reach it, so that the outage measurement can
 * charge attempts to the logical request that made them (the blocking guard runs attempts on the caller's
 * thread). Thread-safe.
 */
final class CountingBackend implements Backend {
  private static final ThreadLocal<int[]> ATTEMPTS = ThreadLocal.withInitial(() -> new int[1]);
  private final Backend delegate;

  CountingBackend(Backend delegate) {
    this.delegate = delegate;
  }

  /** The attempts made on this thread since the last call, and resets the count. */
  static int takeAttempts() {
    int[] a = ATTEMPTS.get();
    int n = a[0];
    a[0] = 0;
    return n;
  }

  private static void count() {
    ATTEMPTS.get()[0]++;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    count();
    return delegate.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    count();
    return delegate.count(context, table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    count();
    return delegate.stream(context, table, query, fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    count();
    return delegate.insert(context, table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    count();
    return delegate.upsert(context, table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    count();
    return delegate.update(context, table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    count();
    return delegate.delete(context, table, filter);
  }

  @Override
  public int maxBatchSize() {
    return delegate.maxBatchSize();
  }

  @Override
  public ErrorClassifier errorClassifier() {
    return delegate.errorClassifier();
  }

  @Override
  public HealthReport check(Duration timeout) {
    return delegate.check(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
