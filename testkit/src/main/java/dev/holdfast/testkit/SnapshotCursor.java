package dev.holdfast.testkit;

import dev.holdfast.spi.RowCursor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A cursor over a snapshot taken when it opened, handed out {@code fetchSize} rows at a time the way a
 * server-side cursor fetches. Not thread-safe.
 */
final class SnapshotCursor<T> implements RowCursor<T> {
  private List<T> snapshot;
  private final int fetchSize;
  private final ArrayDeque<T> fetched = new ArrayDeque<>();
  private int position;
  private int fetches;
  private boolean closed;

  SnapshotCursor(List<T> snapshot, int fetchSize) {
    this.snapshot = snapshot;
    this.fetchSize = fetchSize;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (fetched.isEmpty() && position < snapshot.size()) {
      int end = Math.min(snapshot.size(), position + fetchSize);
      fetched.addAll(snapshot.subList(position, end));
      position = end;
      fetches++;
    }
    return !fetched.isEmpty();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException(closed ? "cursor closed" : "no more rows");
    }
    return fetched.poll();
  }

  /** How many fetches the cursor made. */
  int fetches() {
    return fetches;
  }

  @Override
  public void close() {
    closed = true;
    fetched.clear();
    snapshot = List.of();
  }
}
