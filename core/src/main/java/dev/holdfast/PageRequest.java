package dev.holdfast;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which page to read: by offset ({@link #offset(long, int)}) or by keyset, after the sort-key values of the last
 * row seen ({@link #first(int)}, then {@link Page#next()}). Keyset pages stay fast and stable on large tables
 * while rows are inserted; they sort by the query's sort keys followed by the id column, and expect those columns
 * to be non-null. Immutable and thread-safe.
 *
 * @param size the maximum number of rows on the page
 * @param offset rows to skip (offset paging); 0 for keyset paging
 * @param after the sort-key values of the last row of the previous page (keyset paging), or null
 * @param keyset whether this is keyset paging
 */
public record PageRequest(int size, long offset, List<Object> after, boolean keyset) {
  public PageRequest {
    if (size <= 0) {
      throw new IllegalArgumentException("size <= 0: " + size);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset < 0: " + offset);
    }
    if (after != null) {
      for (int i = 0; i < after.size(); i++) {
        if (after.get(i) == null) {
          throw new NullPointerException("after[" + i + "] is null: keyset pages need non-null sort keys");
        }
      }
      after = List.copyOf(after);
    }
  }

  /** The page of {@code size} rows starting after {@code offset} rows. */
  public static PageRequest offset(long offset, int size) {
    return new PageRequest(size, offset, null, false);
  }

  /** The first keyset page of {@code size} rows. */
  public static PageRequest first(int size) {
    return new PageRequest(size, 0, null, true);
  }

  /** The keyset page of {@code size} rows after a row whose sort-key values are {@code after}. */
  public static PageRequest after(List<Object> after, int size) {
    return new PageRequest(size, 0, Objects.requireNonNull(after, "after"), true);
  }

  /** The sort-key values this page starts after, when it is a keyset page after the first. */
  public Optional<List<Object>> afterKey() {
    return Optional.ofNullable(after);
  }
}
