package dev.holdfast.postgrest.internal;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Turns core {@link Filter}s and {@link Order}s into PostgREST's query syntax. A top-level conjunction becomes one
 * parameter per condition ({@code done=eq.false&title=ilike.*x*}); disjunctions and negated groups become logic
 * trees ({@code or=(a.eq.1,and(b.gt.2,c.is.null))}). Inside trees and {@code in.(...)} lists every value that is
 * not a plain word is double-quoted with {@code \} and {@code "} escaped, so no value can open a group, end a
 * list or start another condition. Thread-safe (stateless).
 */
public final class FilterEncoder {
  private FilterEncoder() {}

  /**
   * The parameters expressing {@code filter}, or empty when the filter can match no row (the caller then skips
   * the request: PostgREST has no syntax for FALSE).
   */
  public static Optional<List<QueryParam>> encode(Filter filter) {
    Filter f = FilterSimplifier.simplify(filter);
    if (FilterSimplifier.isFalse(f)) {
      return Optional.empty();
    }
    List<QueryParam> params = new ArrayList<>();
    if (f instanceof Filter.And and) {
      and.filters().forEach(child -> topLevel(child, params));
    } else if (!FilterSimplifier.isTrue(f)) {
      topLevel(f, params);
    }
    return Optional.of(params);
  }

  /** The {@code order} parameter's value for {@code keys}, such as {@code created_at.desc.nullslast,id.asc}. */
  public static String order(List<Order> keys) {
    StringJoiner out = new StringJoiner(",");
    for (Order key : keys) {
      String nulls = switch (key.nulls()) {
        case FIRST -> ".nullsfirst";
        case LAST -> ".nullslast";
        case DEFAULT -> "";
      };
      out.add(key.column() + (key.descending() ? ".desc" : ".asc") + nulls);
    }
    return out.toString();
  }

  private static void topLevel(Filter f, List<QueryParam> params) {
    if (f instanceof Filter.Or or) {
      params.add(new QueryParam("or", group(or.filters())));
    } else if (f instanceof Filter.And and) {
      params.add(new QueryParam("and", group(and.filters())));
    } else if (f instanceof Filter.Not not && not.filter() instanceof Filter.Or or) {
      params.add(new QueryParam("not.or", group(or.filters())));
    } else if (f instanceof Filter.Not not && not.filter() instanceof Filter.And and) {
      params.add(new QueryParam("not.and", group(and.filters())));
    } else if (f instanceof Filter.Not not) {
      params.add(new QueryParam(column(not.filter()), "not." + condition(not.filter(), false)));
    } else {
      params.add(new QueryParam(column(f), condition(f, false)));
    }
  }

  /** {@code (a,b,...)} with each member written as a tree item. */
  private static String group(List<Filter> members) {
    StringJoiner out = new StringJoiner(",", "(", ")");
    members.forEach(m -> out.add(treeItem(m)));
    return out.toString();
  }

  private static String treeItem(Filter f) {
    if (f instanceof Filter.Or or) {
      return "or" + group(or.filters());
    }
    if (f instanceof Filter.And and) {
      return "and" + group(and.filters());
    }
    if (f instanceof Filter.Not not && not.filter() instanceof Filter.Or or) {
      return "not.or" + group(or.filters());
    }
    if (f instanceof Filter.Not not && not.filter() instanceof Filter.And and) {
      return "not.and" + group(and.filters());
    }
    if (f instanceof Filter.Not not) {
      return column(not.filter()) + ".not." + condition(not.filter(), true);
    }
    return column(f) + "." + condition(f, true);
  }

  private static String column(Filter leaf) {
    if (leaf instanceof Filter.Compare c) {
      return c.column();
    }
    if (leaf instanceof Filter.In in) {
      return in.column();
    }
    if (leaf instanceof Filter.IsNull n) {
      return n.column();
    }
    if (leaf instanceof Filter.Like l) {
      return l.column();
    }
    throw new IllegalStateException("not a leaf: " + leaf);
  }

  /** {@code op.value} for a leaf; values are quoted when the leaf sits inside a logic tree. */
  private static String condition(Filter leaf, boolean inTree) {
    if (leaf instanceof Filter.Compare c) {
      String text = Values.text(c.value());
      return operator(c.op()) + "." + (inTree ? Values.quote(text) : text);
    }
    if (leaf instanceof Filter.In in) {
      StringJoiner list = new StringJoiner(",", "(", ")");
      in.values().forEach(v -> list.add(Values.quote(Values.text(v))));
      return "in." + list;
    }
    if (leaf instanceof Filter.IsNull n) {
      return n.isNull() ? "is.null" : "not.is.null";
    }
    Filter.Like like = (Filter.Like) leaf;
    String op;
    String pattern;
    if (like.pattern().indexOf('*') >= 0) {
      // PostgREST reads * as a LIKE wildcard and offers no escape for it, so a literal * is matched with
      // the equivalent anchored regular expression instead.
      op = like.caseInsensitive() ? "imatch" : "match";
      pattern = Values.likeToRegex(like.pattern());
    } else {
      op = like.caseInsensitive() ? "ilike" : "like";
      pattern = like.pattern();
    }
    return op + "." + (inTree ? Values.quote(pattern) : pattern);
  }

  private static String operator(Filter.Op op) {
    return switch (op) {
      case EQ -> "eq";
      case NEQ -> "neq";
      case GT -> "gt";
      case GTE -> "gte";
      case LT -> "lt";
      case LTE -> "lte";
    };
  }
}
