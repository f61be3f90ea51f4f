package dev.holdfast;

import java.util.Objects;

/**
 * One sort key of a {@link Query}: a column, a direction and where NULLs go. Immutable and thread-safe.
 *
 * <pre>{@code
 * Order.desc("created_at").nullsLast()
 * }</pre>
 *
 * @param column a validated column name
 * @param descending true for descending order
 * @param nulls where NULL values sort
 */
public record Order(String column, boolean descending, Nulls nulls) {
  /** Where NULL values sort. {@code DEFAULT} leaves it to the database (PostgreSQL: last when ascending). */
  public enum Nulls { DEFAULT, FIRST, LAST }

  public Order {
    column = Identifier.require(column, "column");
    Objects.requireNonNull(nulls, "nulls");
  }

  /** Ascending by {@code column}. */
  public static Order asc(String column) {
    return new Order(column, false, Nulls.DEFAULT);
  }

  /** Descending by {@code column}. */
  public static Order desc(String column) {
    return new Order(column, true, Nulls.DEFAULT);
  }

  /** A copy with NULLs sorted first. */
  public Order nullsFirst() {
    return new Order(column, descending, Nulls.FIRST);
  }

  /** A copy with NULLs sorted last. */
  public Order nullsLast() {
    return new Order(column, descending, Nulls.LAST);
  }
}
