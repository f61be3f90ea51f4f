package dev.holdfast.postgrest.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Turns core {@link Filter}s and {@link Order}s into PostgREST's query syntax. A top-level conjunction becomes one
 * parameter per condition ({@code done=eq.false&title=ilike.*x*}); disjunctions and negated groups become logic
 * trees ({@code or=(a.eq.1,and(b.gt.2,c.is.null))}); conditions on columns named like PostgREST's reserved
 * parameters ({@link QueryNames}) go into one {@code and=(...)} tree, where the grammar reads them as columns.
 * Inside trees and {@code in.(...)} lists every value that is not a plain word is double-quoted with {@code \}
 * and {@code "} escaped, so no value can open a group, end a list or start another condition. A value holding
 * the NUL character is refused: PostgreSQL text cannot hold it and PostgREST strips it, so the filter would
 * match other rows than the ones asked for. Thread-safe (stateless).
 */
public final class FilterEncoder {
  private FilterEncoder() {}

  /**
   * The parameters expressing {@code filter}, or empty when the filter can match no row (the caller then skips
   * the request: PostgREST has no syntax for FALSE).
   *
   * @throws InvalidRequestException if a value holds the NUL character
   */
  public static Optional<List<QueryParam>> encode(Filter filter) {
    Filter f = FilterSimplifier.simplify(filter);
    if (FilterSimplifier.isFalse(f)) {
      return Optional.empty();
    }
    List<QueryParam> params = new ArrayList<>();
    List<Filter> reserved = new ArrayList<>();
    if (f instanceof Filter.And and) {
      and.filters().forEach(child -> topLevel(child, params, reserved));
    } else if (!FilterSimplifier.isTrue(f)) {
      topLevel(f, params, reserved);
    }
    if (!reserved.isEmpty()) {
      params.add(new QueryParam("and", group(reserved)));
    }
    return Optional.of(params);
  }

  /** The {@code order} parameter's value for {@code keys}, such as {@code created_at.desc.nullslast,id.asc}. */
  public static String order(List<Order> keys) {
    StringJoiner out = new StringJoiner(",");
    for (Order key : keys) {
      out.add(QueryNames.orderTerm(key.column(), key.descending(), key.nulls()));
    }
    return out.toString();
  }

  /**
   * {@code value} if it can be sent as filter text.
   *
   * @throws InvalidRequestException if it holds the NUL character or an unpaired surrogate
   */
  public static String requireSendable(String value, String column) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\u0000') {
        throw new InvalidRequestException("The filter value for " + column + " contains the NUL character "
            + "(U+0000), which PostgreSQL text cannot hold and PostgREST would strip", ErrorDetails
            .of(ErrorMapper.BACKEND).withCode("22021").withHint("Remove NUL characters from the value."), null);
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          // UTF-8 cannot carry it: it would travel as '?' and match another value.
          throw new InvalidRequestException("The filter value for " + column + " contains an unpaired surrogate "
              + "(at " + i + "), which is not text UTF-8 can carry", ErrorDetails.of(ErrorMapper.BACKEND)
              .withCode("22021").withHint("Pass well-formed Unicode text."), null);
        }
        i++;
      }
    }
    return value;
  }

  private static void topLevel(Filter f, List<QueryParam> params, List<Filter> reserved) {
    if (isLeafOnReservedColumn(f)) {
      reserved.add(f);
    } else if (f instanceof Filter.Or or) {
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

  private static boolean isLeafOnReservedColumn(Filter f) {
    Filter leaf = f instanceof Filter.Not not ? not.filter() : f;
    boolean isLeaf = !(leaf instanceof Filter.And || leaf instanceof Filter.Or || leaf instanceof Filter.Not);
    return isLeaf && QueryNames.isReserved(column(leaf));
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
      String text = requireSendable(Values.text(c.value()), c.column());
      return operator(c.op()) + "." + (inTree ? Values.quote(text) : text);
    }
    if (leaf instanceof Filter.In in) {
      StringJoiner list = new StringJoiner(",", "(", ")");
      in.values().forEach(v -> list.add(Values.quote(requireSendable(Values.text(v), in.column()))));
      // PostgREST reads a list of one empty string as the empty list (SqlFragment: [""] -> = ANY('{}')), so the
      // empty string alone is sent twice, which it reads as the one-value list it is.
      boolean onlyEmpty = in.values().size() == 1 && Values.text(in.values().get(0)).isEmpty();
      return "in." + (onlyEmpty ? "(\"\",\"\")" : list);
    }
    if (leaf instanceof Filter.IsNull n) {
      return n.isNull() ? "is.null" : "not.is.null";
    }
    Filter.Like like = (Filter.Like) leaf;
    requireSendable(like.pattern(), like.column());
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
