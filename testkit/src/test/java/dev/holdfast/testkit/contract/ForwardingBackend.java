package dev.holdfast.testkit.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
import java.util.List;

/** A backend that forwards every call; mutants override one method to be wrong in one way. */
class ForwardingBackend implements Backend {
  final Backend delegate;

  ForwardingBackend(Backend delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    return delegate.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    return delegate.count(context, table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    return delegate.stream(context, table, query, fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    return delegate.insert(context, table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    return delegate.upsert(context, table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    return delegate.update(context, table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    return delegate.delete(context, table, filter);
  }

  @Override
  public int maxBatchSize() {
    return delegate.maxBatchSize();
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
