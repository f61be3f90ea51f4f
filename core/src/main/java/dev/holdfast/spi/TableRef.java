package dev.holdfast.spi;

import dev.holdfast.Identifier;
import java.util.List;
import java.util.Objects;

/**
 * A table as a backend sees it: validated schema, name, id column, and the columns the record type maps to.
 * Immutable and thread-safe.
 *
 * @param schema the schema, such as {@code public}
 * @param name the table's name
 * @param idColumn the primary-key column
 * @param columns the columns of the row type, in order
 */
public record TableRef(String schema, String name, String idColumn, List<String> columns) {
  public TableRef {
    schema = Identifier.require(schema, "schema");
    name = Identifier.require(name, "table");
    idColumn = Identifier.require(idColumn, "id column");
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    columns.forEach(c -> Identifier.require(c, "column"));
  }

  /**
   * From the schema and name alone, whose Strings cache their own hashes: a backend looks its per-table caches up
   * by this on every call, and hashing the column list each time showed up in profiles. Equal refs have equal
   * schemas and names, so this agrees with {@link #equals}.
   */
  @Override
  public int hashCode() {
    return 31 * schema.hashCode() + name.hashCode();
  }

  /** {@code schema.name}, unquoted, for messages. */
  public String qualifiedName() {
    return schema + "." + name;
  }
}
