package dev.holdfast.testkit;

import dev.holdfast.CallContext;
import dev.holdfast.Capabilities;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.TransactionOptions;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.ErrorClassifier;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.spi.TransactionWork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backend that forwards every call to another: extend it and override what a test needs to observe or break
 * (count calls, fail one operation, return something wrong on purpose). Each data call first runs {@link
 * #beforeCall(String)}. Thread-safe if the delegate and the overrides are.
 *
 * <pre>{@code
 * Backend failingInserts = new ForwardingBackend(backend) {
 *   @Override
 *   public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
 *       WriteMode mode) {
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

  /**
   * Runs before each data call (select, count, stream, insert, upsert, update, delete, transaction); does nothing
   * here.
   */
  protected void beforeCall(String operation) {}

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
    beforeCall("select");
    return delegate.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    beforeCall("count");
    return delegate.count(context, table, filter);
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    beforeCall("stream");
    return delegate.stream(context, table, query, fetchSize);
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    beforeCall("insert");
    return delegate.insert(context, table, rows, columns, mode);
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflictColumns,
      WriteMode mode) {
    beforeCall("upsert");
    return delegate.upsert(context, table, rows, conflictColumns, mode);
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    beforeCall("update");
    return delegate.update(context, table, filter, changes, mode);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    beforeCall("delete");
    return delegate.delete(context, table, filter, mode);
  }

  /** Forwards the transaction; the calls inside it go to the delegate's transaction-bound backend. */
  @Override
  public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    beforeCall("transaction");
    return delegate.inTransaction(context, options, work);
  }

  @Override
  public <X> Optional<X> unwrap(Class<X> type) {
    return delegate.unwrap(type);
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
