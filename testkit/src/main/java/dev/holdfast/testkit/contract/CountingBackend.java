package dev.holdfast.testkit.contract;

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
import java.util.concurrent.atomic.AtomicLong;

/** Delegates to the backend under test and counts data calls, to prove that bad input sends nothing. */
final class CountingBackend implements Backend {
  private final Backend delegate;
  private final AtomicLong calls = new AtomicLong();

  CountingBackend(Backend delegate) {
    this.delegate = delegate;
  }

  long calls() {
    return calls.get();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    calls.incrementAndGet();
    return delegate.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    calls.incrementAndGet();
    return delegate.count(context, table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    calls.incrementAndGet();
    return delegate.stream(context, table, query, fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    calls.incrementAndGet();
    return delegate.insert(context, table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    calls.incrementAndGet();
    return delegate.upsert(context, table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    calls.incrementAndGet();
    return delegate.update(context, table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    calls.incrementAndGet();
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
