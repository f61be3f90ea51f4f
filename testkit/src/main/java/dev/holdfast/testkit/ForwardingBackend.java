package dev.holdfast.testkit;

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
 * A backend that forwards every call to another: extend it and override what a test needs to observe or break
 * (count calls, fail one operation, return something wrong on purpose). Each data call first runs {@link
 * #beforeCall(String)}. Thread-safe if the delegate and the overrides are.
 *
 * <pre>{@code
 * Backend failingInserts = new ForwardingBackend(backend) {
 *   @Override
 *   public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
 *     throw new TransientException("injected", ErrorDetails.of(name()), null);
 *   }
 * };
 * }</pre>
 */
public class ForwardingBackend implements Backend {
  /** The backend every call goes to. */
  protected final Backend delegate;

  /**
   * @throws NullPointerException if {@code delegate} is null
   */
  public ForwardingBackend(Backend delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** Runs before each data call (select, count, stream, insert, upsert, update, delete); does nothing here. */
  protected void beforeCall(String operation) {}

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    beforeCall("select");
    return delegate.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    beforeCall("count");
    return delegate.count(context, table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    beforeCall("stream");
    return delegate.stream(context, table, query, fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    beforeCall("insert");
    return delegate.insert(context, table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    beforeCall("upsert");
    return delegate.upsert(context, table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    beforeCall("update");
    return delegate.update(context, table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    beforeCall("delete");
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
