package dev.holdfast.postgrest.internal;

import dev.holdfast.Filter;
import dev.holdfast.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds constant parts out of a {@link Filter} so that the encoder never has to send an empty {@code or()} or
 * {@code and()} (which PostgREST rejects): an empty {@link Filter.And} is TRUE, an empty {@link Filter.Or} and an
 * empty {@link Filter.In} are FALSE. The result is {@link #TRUE}, {@link #FALSE}, or a filter without constant
 * parts, with nested ANDs and ORs flattened. Thread-safe (stateless).
 */
public final class FilterSimplifier {
  /** Matches every row. */
  public static final Filter TRUE = new Filter.And(List.of());
  /** Matches no row. */
  public static final Filter FALSE = new Filter.Or(List.of());

  private FilterSimplifier() {}

  /** The simplified form of {@code filter}. */
  public static Filter simplify(Filter filter) {
    if (filter instanceof Filter.And and) {
      return combine(and.filters(), true);
    }
    if (filter instanceof Filter.Or or) {
      return combine(or.filters(), false);
    }
    if (filter instanceof Filter.Not not) {
      return negate(simplify(not.filter()));
    }
    if (filter instanceof Filter.In in && in.values().isEmpty()) {
      return FALSE;
    }
    return filter;
  }

  /** Whether {@code filter} is the constant TRUE. */
  public static boolean isTrue(Filter filter) {
    return Query.isMatchAll(filter);
  }

  /** Whether {@code filter} is the constant FALSE. */
  public static boolean isFalse(Filter filter) {
    return filter instanceof Filter.Or or && or.filters().isEmpty();
  }

  private static Filter negate(Filter inner) {
    if (isTrue(inner)) {
      return FALSE;
    }
    if (isFalse(inner)) {
      return TRUE;
    }
    if (inner instanceof Filter.Not not) {
      return not.filter();
    }
    if (inner instanceof Filter.IsNull isNull) {
      return new Filter.IsNull(isNull.column(), !isNull.isNull());
    }
    return new Filter.Not(inner);
  }

  private static Filter combine(List<Filter> children, boolean conjunction) {
    List<Filter> kept = new ArrayList<>();
    for (Filter child : children) {
      Filter s = simplify(child);
      boolean identity = conjunction ? isTrue(s) : isFalse(s);
      boolean absorbing = conjunction ? isFalse(s) : isTrue(s);
      if (absorbing) {
        return s;
      }
      if (identity) {
        continue;
      }
      if (conjunction && s instanceof Filter.And and) {
        kept.addAll(and.filters());
      } else if (!conjunction && s instanceof Filter.Or or) {
        kept.addAll(or.filters());
      } else {
        kept.add(s);
      }
    }
    if (kept.isEmpty()) {
      return conjunction ? TRUE : FALSE;
    }
    if (kept.size() == 1) {
      return kept.get(0);
    }
    return conjunction ? new Filter.And(kept) : new Filter.Or(kept);
  }
}
