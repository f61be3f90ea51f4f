package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Evaluates a {@link Filter} against a JSON row with SQL's three-valued logic: a comparison with a NULL column
 * is UNKNOWN, {@code NOT UNKNOWN} is UNKNOWN, and only TRUE selects a row, exactly as in PostgreSQL. Columns
 * missing from a row read as NULL. Stateless and thread-safe.
 *
 * <pre>{@code
 * boolean selected = RowMatcher.matches(row, Filter.eq("done", false).negate());
 * }</pre>
 */
public final class RowMatcher {
  /** SQL's truth values. */
  public enum Truth {
    TRUE, FALSE, UNKNOWN;

    public Truth not() {
      return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
    }

    public static Truth of(boolean b) {
      return b ? TRUE : FALSE;
    }
  }

  private RowMatcher() {}

  /**
   * Whether {@code filter} is TRUE for {@code row}.
   *
   * @throws InvalidRequestException when a value cannot be compared with the column's value (see
   *     {@link JsonValues#compareWithLiteral})
   */
  public static boolean matches(ObjectNode row, Filter filter) {
    return evaluate(row, filter) == Truth.TRUE;
  }

  /** The truth value of {@code filter} for {@code row}. */
  public static Truth evaluate(ObjectNode row, Filter filter) {
    if (filter instanceof Filter.Compare c) {
      return compare(row.get(c.column()), c);
    } else if (filter instanceof Filter.In in) {
      return in(row.get(in.column()), in);
    } else if (filter instanceof Filter.IsNull n) {
      return Truth.of(JsonValues.isNull(row.get(n.column())) == n.isNull());
    } else if (filter instanceof Filter.Like l) {
      return like(row.get(l.column()), l);
    } else if (filter instanceof Filter.And and) {
      Truth result = Truth.TRUE;
      for (Filter f : and.filters()) {
        Truth t = evaluate(row, f);
        if (t == Truth.FALSE) {
          return Truth.FALSE;
        }
        if (t == Truth.UNKNOWN) {
          result = Truth.UNKNOWN;
        }
      }
      return result;
    } else if (filter instanceof Filter.Or or) {
      Truth result = Truth.FALSE;
      for (Filter f : or.filters()) {
        Truth t = evaluate(row, f);
        if (t == Truth.TRUE) {
          return Truth.TRUE;
        }
        if (t == Truth.UNKNOWN) {
          result = Truth.UNKNOWN;
        }
      }
      return result;
    }
    return evaluate(row, ((Filter.Not) filter).filter()).not();
  }

  /** Every column {@code filter} names, in the order they appear. */
  public static Set<String> columns(Filter filter) {
    Set<String> out = new LinkedHashSet<>();
    collect(filter, out);
    return out;
  }

  private static void collect(Filter filter, Set<String> out) {
    if (filter instanceof Filter.Compare c) {
      out.add(c.column());
    } else if (filter instanceof Filter.In in) {
      out.add(in.column());
    } else if (filter instanceof Filter.IsNull n) {
      out.add(n.column());
    } else if (filter instanceof Filter.Like l) {
      out.add(l.column());
    } else if (filter instanceof Filter.And and) {
      and.filters().forEach(f -> collect(f, out));
    } else if (filter instanceof Filter.Or or) {
      or.filters().forEach(f -> collect(f, out));
    } else {
      collect(((Filter.Not) filter).filter(), out);
    }
  }

  private static Truth compare(JsonNode value, Filter.Compare c) {
    if (JsonValues.isNull(value)) {
      return Truth.UNKNOWN;
    }
    int cmp = JsonValues.compareWithLiteral(value, JsonValues.toJson(c.value()));
    return Truth.of(switch (c.op()) {
      case EQ -> cmp == 0;
      case NEQ -> cmp != 0;
      case GT -> cmp > 0;
      case GTE -> cmp >= 0;
      case LT -> cmp < 0;
      case LTE -> cmp <= 0;
    });
  }

  private static Truth in(JsonNode value, Filter.In in) {
    if (in.values().isEmpty()) {
      return Truth.FALSE;
    }
    if (JsonValues.isNull(value)) {
      return Truth.UNKNOWN;
    }
    for (Object candidate : in.values()) {
      if (JsonValues.compareWithLiteral(value, JsonValues.toJson(candidate)) == 0) {
        return Truth.TRUE;
      }
    }
    return Truth.FALSE;
  }

  private static Truth like(JsonNode value, Filter.Like l) {
    LikePattern pattern = LikePattern.compile(l.pattern(), l.caseInsensitive());
    if (JsonValues.isNull(value)) {
      return Truth.UNKNOWN;
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException("LIKE needs a text column, not " + value.getNodeType(),
          ErrorDetails.of("memory").withCode("42883").withHint("Use like/ilike on text columns only."), null);
    }
    return Truth.of(pattern.matches(value.textValue()));
  }
}
