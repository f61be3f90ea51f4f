package dev.holdfast.spi;

import java.util.Iterator;

/**
 * Rows read a batch at a time with bounded memory (a server-side cursor inside a transaction for JDBC, ranged
 * requests for PostgREST). Not thread-safe; must be closed, which releases its connection.
 *
 * @param <T> the record type of a row
 */
public interface RowCursor<T> extends Iterator<T>, AutoCloseable {
  /** Releases the cursor and its connection. Idempotent. */
  @Override
  void close();
}
