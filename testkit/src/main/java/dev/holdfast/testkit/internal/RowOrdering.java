package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Order;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts JSON rows by {@link Order} keys as PostgreSQL does: NULLs last when ascending and first when descending
 * unless the key says otherwise, numbers numerically, timestamps by instant, text by code point (the C
 * collation). Stateless and thread-safe.
 */
public final class RowOrdering {
  private RowOrdering() {}

  /** A comparator over rows for {@code keys}; with no keys every row compares equal (a stable sort keeps order). */
  public static Comparator<ObjectNode> comparator(List<Order> keys) {
    List<Order> copy = List.copyOf(keys);
    return (a, b) -> {
      for (Order key : copy) {
        int cmp = compare(a.get(key.column()), b.get(key.column()), key);
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    };
  }

  /** Compares two values of one column under {@code key}. */
  public static int compare(JsonNode a, JsonNode b, Order key) {
    boolean aNull = JsonValues.isNull(a);
    boolean bNull = JsonValues.isNull(b);
    if (aNull || bNull) {
      if (aNull && bNull) {
        return 0;
      }
      return aNull == nullsFirst(key) ? -1 : 1;
    }
    int cmp = JsonValues.compareForOrdering(a, b);
    return key.descending() ? -cmp : cmp;
  }

  /** Whether NULLs come first under {@code key}: PostgreSQL's default is first exactly when descending. */
  public static boolean nullsFirst(Order key) {
    return switch (key.nulls()) {
      case FIRST -> true;
      case LAST -> false;
      case DEFAULT -> key.descending();
    };
  }
}
