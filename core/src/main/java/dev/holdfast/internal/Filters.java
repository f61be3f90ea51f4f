package dev.holdfast.internal;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import dev.holdfast.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Rewrites queries and filters. Internal. */
public final class Filters {
  private Filters() {}

  /** {@code filter} with every column name passed through {@code column}. */
  public static Filter mapColumns(Filter filter, UnaryOperator<String> column) {
    if (filter instanceof Filter.Compare c) {
      return new Filter.Compare(column.apply(c.column()), c.op(), c.value());
    } else if (filter instanceof Filter.In in) {
      return new Filter.In(column.apply(in.column()), in.values());
    } else if (filter instanceof Filter.IsNull n) {
      return new Filter.IsNull(column.apply(n.column()), n.isNull());
    } else if (filter instanceof Filter.Like l) {
      return new Filter.Like(column.apply(l.column()), l.pattern(), l.caseInsensitive());
    } else if (filter instanceof Filter.And and) {
      return new Filter.And(and.filters().stream().map(f -> mapColumns(f, column)).toList());
    } else if (filter instanceof Filter.Or or) {
      return new Filter.Or(or.filters().stream().map(f -> mapColumns(f, column)).toList());
    } else {
      return new Filter.Not(mapColumns(((Filter.Not) filter).filter(), column));
    }
  }

  /** {@code query} with every column name in its filter and order passed through {@code column}. */
  public static Query mapColumns(Query query, UnaryOperator<String> column) {
    List<Order> order = new ArrayList<>();
    for (Order o : query.order()) {
      order.add(new Order(column.apply(o.column()), o.descending(), o.nulls()));
    }
    return query.withFilter(mapColumns(query.filter(), column)).orderBy(order);
  }

  /**
   * The rows that sort after {@code values} under {@code keys}: {@code (k1 > v1) OR (k1 = v1 AND k2 > v2) ...},
   * with {@code <} for descending keys. Keys must be non-null in the rows.
   */
  public static Filter after(List<Order> keys, List<Object> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("keyset has " + values.size() + " values for " + keys.size() + " keys");
    }
    List<Filter> branches = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      List<Filter> terms = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        terms.add(Filter.eq(keys.get(j).column(), values.get(j)));
      }
      Order key = keys.get(i);
      terms.add(key.descending() ? Filter.lt(key.column(), values.get(i)) : Filter.gt(key.column(), values.get(i)));
      branches.add(terms.size() == 1 ? terms.get(0) : new Filter.And(terms));
    }
    return branches.size() == 1 ? branches.get(0) : new Filter.Or(branches);
  }
}
