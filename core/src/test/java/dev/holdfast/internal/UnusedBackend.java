package dev.holdfast.internal;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A backend that must not be reached: each call fails the test. */
final class UnusedBackend implements Backend {
  @Override
  public String name() {
    return "unused";
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
    throw new AssertionError("select sent");
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    throw new AssertionError("count sent");
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    throw new AssertionError("stream sent");
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    throw new AssertionError("insert sent");
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflict,
      WriteMode mode) {
    throw new AssertionError("upsert sent");
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    throw new AssertionError("update sent");
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    throw new AssertionError("delete sent");
  }

  @Override
  public HealthReport check(Duration timeout) {
    throw new AssertionError("check sent");
  }

  @Override
  public void close() {}
}
