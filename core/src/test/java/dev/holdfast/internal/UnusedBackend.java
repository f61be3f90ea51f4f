package dev.holdfast.internal;

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

/** A backend that must not be reached: each call fails the test. */
final class UnusedBackend implements Backend {
  @Override
  public String name() {
    return "unused";
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    throw new AssertionError("select sent");
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    throw new AssertionError("count sent");
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    throw new AssertionError("stream sent");
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    throw new AssertionError("insert sent");
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows, List<String> conflict) {
    throw new AssertionError("upsert sent");
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    throw new AssertionError("update sent");
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    throw new AssertionError("delete sent");
  }

  @Override
  public HealthReport check(Duration timeout) {
    throw new AssertionError("check sent");
  }

  @Override
  public void close() {}
}
