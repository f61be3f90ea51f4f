package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts JSON rows by {@link Order} keys as PostgreSQL does: NULLs last when ascending and first when descending
 * unless the key says otherwise, numbers numerically, timestamps by instant, text by code point (the C
 * collation). Stateless and thread-safe.
 */
public final class RowOrdering {
  private RowOrdering() {}

  /**
   * A comparator over rows for {@code keys}; with no keys every row compares equal (a stable sort keeps order).
   * Text compares as instants when both values are timestamps, which is only transitive within a column of
   * timestamps or of other text; {@link #sort} handles columns that mix both.
   */
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

  /**
   * Sorts {@code rows} in place by {@code keys}, stably. Unlike {@link #comparator}, it first decides per key
   * whether the column holds timestamps (every non-null text value parses as one) and compares text either all
   * as instants or all by code point, so the order stays consistent even in a column that mixes both.
   */
  public static void sort(List<ObjectNode> rows, List<Order> keys) {
    if (keys.isEmpty() || rows.size() < 2) {
      return;
    }
    int n = keys.size();
    boolean[] instants = new boolean[n];
    for (int k = 0; k < n; k++) {
      instants[k] = allTimestamps(rows, keys.get(k).column());
    }
    List<Object[]> decorated = new ArrayList<>(rows.size());
    for (ObjectNode row : rows) {
      Object[] values = new Object[n + 1];
      for (int k = 0; k < n; k++) {
        JsonNode v = row.get(keys.get(k).column());
        values[k] = JsonValues.isNull(v) ? null : instants[k] ? JsonValues.parseTimestamp(v.textValue()) : v;
      }
      values[n] = row;
      decorated.add(values);
    }
    decorated.sort((a, b) -> {
      for (int k = 0; k < n; k++) {
        int cmp = compareDecorated(a[k], b[k], keys.get(k));
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    });
    for (int i = 0; i < rows.size(); i++) {
      rows.set(i, (ObjectNode) decorated.get(i)[n]);
    }
  }

  private static boolean allTimestamps(List<ObjectNode> rows, String column) {
    boolean any = false;
    for (ObjectNode row : rows) {
      JsonNode v = row.get(column);
      if (JsonValues.isNull(v)) {
        continue;
      }
      if (!v.isTextual() || JsonValues.parseTimestamp(v.textValue()) == null) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static int compareDecorated(Object a, Object b, Order key) {
    if (a == null || b == null) {
      if (a == b) {
        return 0;
      }
      return (a == null) == nullsFirst(key) ? -1 : 1;
    }
    int cmp;
    if (a instanceof Instant x) {
      cmp = x.compareTo((Instant) b);
    } else {
      JsonNode x = (JsonNode) a;
      JsonNode y = (JsonNode) b;
      cmp = x.isTextual() && y.isTextual() ? JsonValues.compareCodePoints(x.textValue(), y.textValue())
          : JsonValues.compareForOrdering(x, y);
    }
    return key.descending() ? -cmp : cmp;
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
