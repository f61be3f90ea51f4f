package dev.holdfast.postgrest.internal;

import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.spi.RowCursor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A {@link RowCursor} that reads a query one page of {@code limit}/{@code offset} at a time, so memory stays
 * bounded. Pages are ordered by the query's keys plus the id column, which makes offsets stable while nothing
 * changes. The first page is read by the constructor, so that a failure surfaces where the cursor is opened
 * (under the caller's guard). Not thread-safe.
 */
public final class PagedCursor<T> implements RowCursor<T> {
  private final Function<Query, List<T>> fetch;
  private final Query base;
  private final int fetchSize;
  private long remaining;
  private long nextOffset;
  private Iterator<T> page;
  private boolean exhausted;
  private boolean closed;

  /**
   * @param fetch reads one page
   * @param query the whole query
   * @param idColumn the unique column that makes the order total
   * @param fetchSize rows per page
   */
  public PagedCursor(Function<Query, List<T>> fetch, Query query, String idColumn, int fetchSize) {
    if (fetchSize <= 0) {
      throw new IllegalArgumentException("fetchSize must be positive: " + fetchSize);
    }
    List<Order> keys = new ArrayList<>(query.order());
    if (keys.stream().noneMatch(k -> k.column().equals(idColumn))) {
      keys.add(Order.asc(idColumn));
    }
    this.fetch = fetch;
    this.base = query.orderBy(keys);
    this.fetchSize = fetchSize;
    this.remaining = query.limit().isPresent() ? query.limit().getAsInt() : Long.MAX_VALUE;
    this.nextOffset = query.offset();
    this.page = List.<T>of().iterator();
    this.exhausted = remaining == 0;
    advance();
  }

  private void advance() {
    if (exhausted) {
      return;
    }
    int want = (int) Math.min(fetchSize, remaining);
    List<T> rows = fetch.apply(base.offset(nextOffset).limit(want));
    nextOffset += rows.size();
    remaining -= rows.size();
    exhausted = rows.size() < want || remaining == 0;
    page = rows.iterator();
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (!page.hasNext()) {
      advance();
    }
    return page.hasNext();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.next();
  }

  /** Stops reading; no connection is held between pages, so there is nothing else to release. Idempotent. */
  @Override
  public void close() {
    closed = true;
    page = List.<T>of().iterator();
  }
}
