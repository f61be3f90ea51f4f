package dev.holdfast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which rows to read and in what order: a {@link Filter}, sort keys, a limit and an offset. Immutable and
 * thread-safe; every {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * Query.where(Filter.eq("done", false)).orderBy(Order.asc("id")).limit(50).offset(100)
 * }</pre>
 */
public final class Query {
  private static final Query ALL = new Query(Filter.all(), List.of(), -1, 0);

  private final Filter filter;
  private final List<Order> order;
  private final int limit;
  private final long offset;

  private Query(Filter filter, List<Order> order, int limit, long offset) {
    this.filter = filter;
    this.order = order;
    this.limit = limit;
    this.offset = offset;
  }

  /** Every row, in no particular order. */
  public static Query all() {
    return ALL;
  }

  /**
   * The rows matching {@code filter}.
   *
   * @throws NullPointerException if {@code filter} is null
   */
  public static Query where(Filter filter) {
    return new Query(Objects.requireNonNull(filter, "filter"), List.of(), -1, 0);
  }

  /** A copy whose filter is this filter and {@code more}. */
  public Query and(Filter more) {
    Objects.requireNonNull(more, "more");
    Filter combined = isMatchAll(filter) ? more : filter.and(more);
    return new Query(combined, order, limit, offset);
  }

  /** A copy with {@code filter} in place of this query's filter. */
  public Query withFilter(Filter filter) {
    return new Query(Objects.requireNonNull(filter, "filter"), order, limit, offset);
  }

  /**
   * A copy sorted by {@code keys} (replacing any earlier sort keys).
   *
   * @throws NullPointerException if {@code keys} is or holds null
   */
  public Query orderBy(Order... keys) {
    return orderBy(java.util.Arrays.asList(Objects.requireNonNull(keys, "keys")));
  }

  /**
   * A copy sorted by {@code keys} (replacing any earlier sort keys).
   *
   * @throws NullPointerException if {@code keys} is or holds null
   */
  public Query orderBy(List<Order> keys) {
    Objects.requireNonNull(keys, "keys");
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) == null) {
        throw new NullPointerException("keys[" + i + "] is null");
      }
    }
    return new Query(filter, List.copyOf(keys), limit, offset);
  }

  /** A copy with {@code key} added after the existing sort keys. */
  public Query thenOrderBy(Order key) {
    List<Order> keys = new ArrayList<>(order);
    keys.add(Objects.requireNonNull(key, "key"));
    return new Query(filter, List.copyOf(keys), limit, offset);
  }

  /**
   * A copy returning at most {@code limit} rows.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public Query limit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    return new Query(filter, order, limit, offset);
  }

  /** A copy with no limit. */
  public Query withoutLimit() {
    return new Query(filter, order, -1, offset);
  }

  /**
   * A copy skipping the first {@code offset} rows.
   *
   * @throws IllegalArgumentException if {@code offset} is negative
   */
  public Query offset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset < 0: " + offset);
    }
    return new Query(filter, order, limit, offset);
  }

  /** The filter; {@link Filter#all()} when the query has none. */
  public Filter filter() {
    return filter;
  }

  /** The sort keys, possibly empty. */
  public List<Order> order() {
    return order;
  }

  /** The maximum number of rows, when limited. */
  public OptionalInt limit() {
    return limit < 0 ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  /** How many leading rows to skip. */
  public long offset() {
    return offset;
  }

  /** Whether {@code filter} is an empty {@link Filter.And}, which matches every row. */
  public static boolean isMatchAll(Filter filter) {
    return filter instanceof Filter.And and && and.filters().isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && q.filter.equals(filter) && q.order.equals(order) && q.limit == limit
        && q.offset == offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(filter, order, limit, offset);
  }

  @Override
  public String toString() {
    return "Query{filter=" + filter + ", order=" + order + ", limit=" + limit + ", offset=" + offset + "}";
  }
}
