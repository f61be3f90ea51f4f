package dev.holdfast;

import dev.holdfast.internal.Values;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A condition on rows, built from the static factories and combined with {@link #and}, {@link #or} and
 * {@link #negate}. Immutable and thread-safe.
 *
 * <p>Column names are validated identifiers. Values are always values: each backend binds them as parameters
 * (JDBC) or encodes them (PostgREST), so nothing passed as a value can change the shape of the query. A value is
 * a {@link CharSequence}, {@link Number}, {@link Boolean}, {@link UUID}, {@link Enum}, {@link Character} or a
 * {@code java.time} value; use {@link #isNull} rather than {@code eq(column, null)}. A string value or pattern
 * holding the NUL character (U+0000) is refused with {@link InvalidRequestException}, whatever the backend:
 * PostgreSQL text cannot hold it, so it could never match.
 *
 * <p>Arguments follow holdfast's input rule: a null column, value, list or filter is a {@link
 * NullPointerException} naming it; an invalid column name, an unsupported value type or a NUL is an {@link
 * InvalidRequestException}; either is thrown when the filter is built, before anything is sent.
 *
 * <pre>{@code
 * Filter open = Filter.eq("done", false).and(Filter.ilike("title", "%invoice%"));
 * Filter recent = Filter.gte("created_at", Instant.parse("2026-01-01T00:00:00Z"));
 * Query query = Query.where(open.or(recent)).orderBy(Order.desc("created_at")).limit(20);
 * }</pre>
 */
public sealed interface Filter
    permits Filter.Compare, Filter.In, Filter.IsNull, Filter.Like, Filter.And, Filter.Or, Filter.Not {

  /** The comparison operators of {@link Compare}. */
  enum Op { EQ, NEQ, GT, GTE, LT, LTE }

  /** {@code column op value}. */
  record Compare(String column, Op op, Object value) implements Filter {
    public Compare {
      column = Identifier.require(column, "column");
      Objects.requireNonNull(op, "op");
      value = Filter.requireValue(value);
    }
  }

  /** {@code column IN (values)}; an empty list matches no row. */
  record In(String column, List<Object> values) implements Filter {
    public In {
      column = Identifier.require(column, "column");
      values = requireValues(values);
    }
  }

  /** {@code column IS NULL}, or {@code IS NOT NULL} when {@code isNull} is false. */
  record IsNull(String column, boolean isNull) implements Filter {
    public IsNull {
      column = Identifier.require(column, "column");
    }
  }

  /**
   * SQL {@code LIKE} (or {@code ILIKE} when {@code caseInsensitive}): {@code %} matches any run of characters,
   * {@code _} one character, and {@code \} escapes the next character. See {@link #escapeLike(String)}.
   */
  record Like(String column, String pattern, boolean caseInsensitive) implements Filter {
    public Like {
      column = Identifier.require(column, "column");
      Values.requireNoNul(Objects.requireNonNull(pattern, "pattern"), "a LIKE pattern");
    }
  }

  /** All of {@code filters}; an empty list matches every row. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = requireFilters(filters);
    }
  }

  /** Any of {@code filters}; an empty list matches no row. */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = requireFilters(filters);
    }
  }

  /** Not {@code filter}. */
  record Not(Filter filter) implements Filter {
    public Not {
      Objects.requireNonNull(filter, "filter");
    }
  }

  /** Matches every row. */
  static Filter all() {
    return new And(List.of());
  }

  /** {@code column = value}. */
  static Filter eq(String column, Object value) {
    return new Compare(column, Op.EQ, value);
  }

  /** {@code column <> value}. */
  static Filter neq(String column, Object value) {
    return new Compare(column, Op.NEQ, value);
  }

  /** {@code column > value}. */
  static Filter gt(String column, Object value) {
    return new Compare(column, Op.GT, value);
  }

  /** {@code column >= value}. */
  static Filter gte(String column, Object value) {
    return new Compare(column, Op.GTE, value);
  }

  /** {@code column < value}. */
  static Filter lt(String column, Object value) {
    return new Compare(column, Op.LT, value);
  }

  /** {@code column <= value}. */
  static Filter lte(String column, Object value) {
    return new Compare(column, Op.LTE, value);
  }

  /**
   * {@code column IN (values)}.
   *
   * @throws NullPointerException if {@code values} is or holds null (use {@link #isNull} for NULL)
   */
  static Filter in(String column, Collection<?> values) {
    Objects.requireNonNull(values, "values");
    return new In(column, new java.util.ArrayList<>(values));
  }

  /** {@code column IS NULL}. */
  static Filter isNull(String column) {
    return new IsNull(column, true);
  }

  /** {@code column IS NOT NULL}. */
  static Filter isNotNull(String column) {
    return new IsNull(column, false);
  }

  /** {@code column LIKE pattern}; see {@link Like}. */
  static Filter like(String column, String pattern) {
    return new Like(column, pattern, false);
  }

  /** {@code column ILIKE pattern} (case-insensitive); see {@link Like}. */
  static Filter ilike(String column, String pattern) {
    return new Like(column, pattern, true);
  }

  /** Rows whose {@code column} starts with {@code prefix}, taken literally. */
  static Filter startsWith(String column, String prefix) {
    return new Like(column, escapeLike(Objects.requireNonNull(prefix, "prefix")) + "%", false);
  }

  /** All of {@code filters}. */
  static Filter allOf(Filter... filters) {
    return new And(java.util.Arrays.asList(Objects.requireNonNull(filters, "filters")));
  }

  /** Any of {@code filters}. */
  static Filter anyOf(Filter... filters) {
    return new Or(java.util.Arrays.asList(Objects.requireNonNull(filters, "filters")));
  }

  /** Escapes {@code %}, {@code _} and {@code \} so that {@code text} matches itself in a {@link Like} pattern. */
  static String escapeLike(String text) {
    Objects.requireNonNull(text, "text");
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** This filter and {@code other}. */
  default Filter and(Filter other) {
    return new And(List.of(this, Objects.requireNonNull(other, "other")));
  }

  /** This filter or {@code other}. */
  default Filter or(Filter other) {
    return new Or(List.of(this, Objects.requireNonNull(other, "other")));
  }

  /** Not this filter. */
  default Filter negate() {
    return new Not(this);
  }

  /**
   * Checks that {@code value} is a scalar a backend can bind.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws InvalidRequestException if it is of another type, or a string holding the NUL character
   */
  static Object requireValue(Object value) {
    if (value == null) {
      throw new NullPointerException("value (use Filter.isNull for NULL)");
    }
    if (value instanceof CharSequence cs) {
      return Values.requireNoNul(cs.toString(), "a filter value");
    }
    if (value instanceof Character c && c == '\u0000') {
      Values.requireNoNul(String.valueOf(c), "a filter value");
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof UUID || value instanceof Enum<?>
        || value instanceof Character || value instanceof TemporalAccessor) {
      return value;
    }
    throw new InvalidRequestException(
        "A filter value of type " + value.getClass().getName() + " is not supported",
        ErrorDetails.of("holdfast").withHint("Pass a string, number, boolean, UUID, enum or java.time value."),
        null);
  }

  private static List<Object> requireValues(List<Object> values) {
    Objects.requireNonNull(values, "values");
    List<Object> checked = new java.util.ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new NullPointerException("values[" + i + "] is null (use Filter.isNull for NULL)");
      }
      checked.add(requireValue(values.get(i)));
    }
    return List.copyOf(checked);
  }

  private static List<Filter> requireFilters(List<Filter> filters) {
    Objects.requireNonNull(filters, "filters");
    for (int i = 0; i < filters.size(); i++) {
      if (filters.get(i) == null) {
        throw new NullPointerException("filters[" + i + "] is null");
      }
    }
    return List.copyOf(filters);
  }
}
