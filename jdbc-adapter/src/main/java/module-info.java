/**
 * holdfast-jdbc: the PostgreSQL backend over JDBC (pgjdbc, HikariCP). Exports only {@code dev.holdfast.jdbc};
 * {@code dev.holdfast.jdbc.internal} stays private.
 */
// pgjdbc ships no module descriptor, only a stable Automatic-Module-Name (org.postgresql.jdbc), which the
// requires-automatic lint cannot tell from a name guessed from a file name.
@SuppressWarnings("requires-automatic")
module dev.holdfast.jdbc {
  requires transitive dev.holdfast;
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  requires java.logging;

  exports dev.holdfast.jdbc;

  provides dev.holdfast.spi.ErrorClassifier with dev.holdfast.jdbc.SqlStateClassifier;
}
