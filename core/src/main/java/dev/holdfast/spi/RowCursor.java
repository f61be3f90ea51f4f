package dev.holdfast.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * Rows read a batch at a time with bounded memory (a server-side cursor inside a transaction for JDBC, ranged
 * requests for PostgREST). Not thread-safe; must be closed, which releases its connection.
 */
public interface RowCursor extends Iterator<ObjectNode>, AutoCloseable {
  /** Releases the cursor and its connection. Idempotent. */
  @Override
  void close();
}
