package dev.holdfast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The columns an update sets, in order, with their new values (null sets NULL). Immutable and thread-safe;
 * {@link #set} returns a copy. Column names may be given as database columns ({@code created_at}) or as the
 * record's component names ({@code createdAt}); the repository maps them.
 *
 * <pre>{@code
 * tasks.updateById(42L, Changes.set("done", true).and("title", "Pay the invoice"));
 * }</pre>
 */
public final class Changes {
  private final Map<String, Object> values;

  private Changes(Map<String, Object> values) {
    this.values = values;
  }

  /** The single change {@code column = value}; see {@link #and}. */
  public static Changes set(String column, Object value) {
    return new Changes(Map.of()).and(column, value);
  }

  /**
   * The changes in {@code values}, in its iteration order.
   *
   * @throws NullPointerException if {@code values} or a key is null
   * @throws IllegalArgumentException if {@code values} is empty
   * @throws InvalidRequestException if a key is not a valid column name
   */
  public static Changes of(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no changes");
    }
    Changes changes = new Changes(Map.of());
    for (Map.Entry<String, ?> e : values.entrySet()) {
      changes = changes.and(e.getKey(), e.getValue());
    }
    return changes;
  }

  /**
   * A copy that also sets {@code column = value}; a null value sets NULL. A value that cannot be stored (one
   * Jackson cannot serialize, a string with the NUL character) is refused with {@link InvalidRequestException} by
   * the repository, before anything is sent.
   *
   * @throws NullPointerException if {@code column} is null
   * @throws InvalidRequestException if {@code column} is not a valid column name
   */
  public Changes and(String column, Object value) {
    Identifier.require(column, "column");
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(column, value);
    return new Changes(Collections.unmodifiableMap(copy));
  }

  /** The column-to-value map, in the order the changes were added; values may be null. */
  public Map<String, Object> values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Changes c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }

  @Override
  public String toString() {
    return "Changes" + values.keySet();
  }
}
