package dev.holdfast.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Changes;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.Table;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Converts between a table's records and the JSON rows backends exchange. Internal; thread-safe. */
public final class RowMapper<T> {
  private final Table<T, ?> table;
  private final String backend;
  private final List<String> jsonColumns;

  public RowMapper(Table<T, ?> table, String backend) {
    this.table = table;
    this.backend = backend;
    this.jsonColumns = Arrays.stream(table.type().getRecordComponents())
        .filter(c -> JsonNode.class.isAssignableFrom(c.getType()))
        .map(c -> table.column(c.getName())).toList();
  }

  /** The record for {@code row}. */
  public T fromRow(JsonNode row) {
    try {
      return table.mapper().treeToValue(withoutNullJson(row), table.type());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new SchemaMismatchException(
          "A row of " + table.ref().qualifiedName() + " does not map to " + table.type().getSimpleName() + ": "
              + getOriginalMessageOf(e),
          ErrorDetails.of(backend).withHint("Check that the record's components match the table's columns and types."),
          e);
    }
  }

  /**
   * {@code row} without SQL NULLs in columns that map to {@link JsonNode} components: Jackson reads an explicit
   * null there as {@code NullNode} but an absent property as {@code null}, which is what a NULL column means.
   */
  private JsonNode withoutNullJson(JsonNode row) {
    if (jsonColumns.isEmpty() || jsonColumns.stream().noneMatch(c -> row.path(c).isNull())) {
      return row;
    }
    ObjectNode copy = table.mapper().createObjectNode();
    copy.setAll((ObjectNode) row);
    jsonColumns.forEach(c -> {
      if (copy.path(c).isNull()) {
        copy.remove(c);
      }
    });
    return copy;
  }

  /**
   * {@code row} as JSON; with {@code dropNulls}, null components are left out so column defaults apply.
   *
   * @throws InvalidRequestException if the row cannot be stored: Jackson cannot serialize it, it holds a column
   *     name that is not a valid identifier (from a dynamic property), or a string with the NUL character
   */
  public ObjectNode toRow(T row, boolean dropNulls) {
    ObjectNode node;
    try {
      node = table.mapper().valueToTree(row);
    } catch (IllegalArgumentException e) {
      throw unserializable("A row of " + table.ref().qualifiedName(), e);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (dropNulls && field.getValue().isNull()) {
        it.remove();
        continue;
      }
      // Names were checked when the table was built; one Jackson adds per row (an any-getter) is checked here.
      String column = field.getKey();
      if (!table.columns().contains(column)) {
        Identifier.require(column, "column");
      }
      Values.requireStorable(field.getValue(), column);
    }
    return node;
  }

  /**
   * {@code changes} as a JSON object keyed by column.
   *
   * @throws InvalidRequestException if a value cannot be stored (see {@link #toRow})
   */
  public ObjectNode toChanges(Changes changes) {
    ObjectNode node = table.mapper().createObjectNode();
    changes.values().forEach((k, v) -> {
      String column = table.column(k);
      JsonNode value;
      try {
        value = table.mapper().valueToTree(v);
      } catch (IllegalArgumentException e) {
        throw unserializable("The value for column " + column, e);
      }
      node.set(column, Values.requireStorable(value, column));
    });
    return node;
  }

  private InvalidRequestException unserializable(String what, IllegalArgumentException e) {
    return new InvalidRequestException(what + " cannot be converted to JSON: " + getOriginalMessageOf(e),
        ErrorDetails.of(backend).withHint("Use types Jackson can serialize (records, strings, numbers, java.time, "
            + "collections), or register a module on the table's object mapper."), e);
  }

  /** A row's JSON value as a filter value (string, number or boolean). */
  public static Object scalar(JsonNode value, String column) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw new InvalidRequestException("Keyset paging needs a non-null value in column '" + column + "'",
          ErrorDetails.of("holdfast").withHint("Order keyset pages by non-null columns, or use offset paging."),
          null);
    }
    if (value.isTextual()) {
      return value.textValue();
    } else if (value.isBoolean()) {
      return value.booleanValue();
    } else if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    } else if (value.isNumber()) {
      return value.decimalValue();
    }
    return value.toString();
  }

  private static String getOriginalMessageOf(Exception e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
