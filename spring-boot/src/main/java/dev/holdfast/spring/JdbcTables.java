package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import dev.holdfast.jdbc.JdbcBackend;
import java.time.Duration;

/** The JDBC-only part of safe key-value stores, kept apart so that it loads only with holdfast-jdbc present. */
final class JdbcTables {
  private JdbcTables() {}

  /** Creates {@code schema.table} as a key-value table if {@code db} is over JDBC and it does not exist. */
  static void createKeyValueTable(Holdfast db, String schema, String table) {
    if (db.backend() instanceof JdbcBackend jdbc) {
      jdbc.createKeyValueTable(schema, table, Duration.ofSeconds(10));
    }
  }
}
