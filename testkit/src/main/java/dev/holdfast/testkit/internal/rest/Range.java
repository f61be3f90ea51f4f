package dev.holdfast.testkit.internal.rest;

/**
 * A range of row positions as PostgREST's {@code RangeQuery} models it with {@code Data.Ranged}: a lower bound
 * (inclusive, possibly unbounded below) and an upper bound (inclusive, possibly unbounded above). Empty when the
 * lower bound is past the upper; all empty ranges are equal, as in {@code Data.Ranged}. Immutable.
 */
public record Range(Long lower, Long upper) {
  /** {@code allRange}: 0 and up. */
  public static final Range ALL = new Range(0L, null);
  /** {@code limitZeroRange}: {@code 0 <= x <= -1}, PostgREST's marker for {@code limit=0}. */
  public static final Range LIMIT_ZERO = new Range(0L, -1L);

  /** {@code rangeGeq n}. */
  public static Range geq(long n) {
    return new Range(n, null);
  }

  /** {@code rangeLeq n}. */
  public static Range leq(long n) {
    return new Range(null, n);
  }

  public boolean isEmpty() {
    return lower != null && upper != null && lower > upper;
  }

  /** {@code rangeIntersection}. */
  public Range intersect(Range o) {
    Long lo = lower == null ? o.lower : o.lower == null ? lower : Long.valueOf(Math.max(lower, o.lower));
    Long up = upper == null ? o.upper : o.upper == null ? upper : Long.valueOf(Math.min(upper, o.upper));
    return new Range(lo, up);
  }

  /** {@code restrictRange}: at most {@code limit} rows from this range's offset. */
  public Range restrict(Long limit) {
    return limit == null ? this : intersect(leq(offset() + limit - 1));
  }

  /** {@code rangeLimit}: the number of rows, when both bounds are finite. */
  public Long limit() {
    return lower != null && upper != null ? 1 + upper - lower : null;
  }

  /** {@code rangeOffset}: the lower bound. */
  public long offset() {
    if (lower == null) {
      throw new IllegalStateException("range without lower bound");
    }
    return lower;
  }

  /** {@code hasLimitZero}: compares the upper bound only, as PostgREST does. */
  public boolean hasLimitZero() {
    return upper != null && upper == -1L;
  }

  /** Equality of {@code Data.Ranged}: every empty range equals every other. */
  public boolean sameAs(Range o) {
    return (isEmpty() && o.isEmpty()) || equals(o);
  }

  /** {@code convertToLimitZeroRange}. */
  public static Range limitZeroOr(Range range, Range fallback) {
    return range.hasLimitZero() ? LIMIT_ZERO : fallback;
  }
}
