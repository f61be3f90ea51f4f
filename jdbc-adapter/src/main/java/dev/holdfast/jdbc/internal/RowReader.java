package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Reads result rows as JSON objects keyed by column name: integers and numerics as JSON numbers (numeric exact,
 * as BigDecimal), json/jsonb as JSON nodes, timestamptz as ISO-8601 UTC strings keeping microseconds, bytea as
 * base64, arrays as JSON arrays, everything else as its text. Internal; thread-safe.
 */
public final class RowReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private RowReader() {}

  /** The current row of {@code rs}. */
  public static ObjectNode read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    ObjectNode row = NODES.objectNode();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      row.set(meta.getColumnLabel(i), value(rs, i, meta.getColumnTypeName(i)));
    }
    return row;
  }

  /** Column {@code i} of the current row as JSON, read as a column of PostgreSQL type {@code type}. */
  static JsonNode value(ResultSet rs, int i, String type) throws SQLException {
    switch (type) {
      case "int2", "int4", "int8", "oid", "serial", "bigserial" -> {
        long v = rs.getLong(i);
        return rs.wasNull() ? NODES.nullNode() : NODES.numberNode(v);
      }
      case "float4", "float8" -> {
        double v = rs.getDouble(i);
        if (rs.wasNull()) {
          return NODES.nullNode();
        }
        // JSON has no NaN or Infinity: keep PostgreSQL's spelling as text.
        return Double.isFinite(v) ? NODES.numberNode(v) : NODES.textNode(rs.getString(i));
      }
      case "numeric" -> {
        String text = rs.getString(i);
        if (text == null) {
          return NODES.nullNode();
        }
        return text.equals("NaN") || text.endsWith("Infinity") ? NODES.textNode(text)
            : NODES.numberNode(new BigDecimal(text));
      }
      case "bool" -> {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? NODES.nullNode() : NODES.booleanNode(v);
      }
      case "json", "jsonb" -> {
        String text = rs.getString(i);
        return text == null ? NODES.nullNode() : parse(text);
      }
      case "timestamptz" -> {
        String raw = rs.getString(i);
        if (raw == null) {
          return NODES.nullNode();
        }
        if (raw.endsWith("infinity")) {
          return NODES.textNode(raw);
        }
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return NODES.textNode(t.withOffsetSameInstant(java.time.ZoneOffset.UTC)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      }
      case "timestamp" -> {
        String raw = rs.getString(i);
        if (raw == null || raw.endsWith("infinity")) {
          return raw == null ? NODES.nullNode() : NODES.textNode(raw);
        }
        return NODES.textNode(rs.getObject(i, LocalDateTime.class).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
      }
      case "bytea" -> {
        byte[] bytes = rs.getBytes(i);
        return bytes == null ? NODES.nullNode() : NODES.textNode(Base64.getEncoder().encodeToString(bytes));
      }
      default -> {
        if (type.startsWith("_")) {
          return array(rs.getArray(i));
        }
        String text = rs.getString(i);
        return text == null ? NODES.nullNode() : NODES.textNode(text);
      }
    }
  }

  private static JsonNode array(Array array) throws SQLException {
    if (array == null) {
      return NODES.nullNode();
    }
    try {
      Object[] items = (Object[]) array.getArray();
      ArrayNode out = NODES.arrayNode();
      for (Object item : items) {
        out.add(item == null ? NODES.nullNode() : item instanceof Number || item instanceof Boolean
            ? MAPPER.valueToTree(item) : item instanceof Object[] ? NODES.textNode(java.util.Arrays.deepToString(
            (Object[]) item)) : NODES.textNode(item.toString()));
      }
      return out;
    } finally {
      array.free();
    }
  }

  private static JsonNode parse(String text) throws SQLException {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("The server returned JSON that does not parse", "22032", e);
    }
  }
}
