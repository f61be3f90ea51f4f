package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Iterator;
import java.util.UUID;

/**
 * Binds values to placeholders. Values are sent as text of unspecified type ({@link Types#OTHER}) so that the
 * server infers timestamptz, uuid, numeric, enum or text from the column, exactly as it would for a literal;
 * json/jsonb columns receive the value's JSON text, bytea columns the bytes of a base64 string, array columns a
 * PostgreSQL array literal. Nothing is ever spliced into SQL text.
 *
 * <p>PostgreSQL text cannot hold the NUL character (U+0000); a string containing one is rejected with an
 * {@link InvalidRequestException} before anything is sent, rather than failing on the server with a raw error.
 * Internal; stateless and thread-safe.
 */
public final class Values {
  private Values() {}

  /** Binds {@code value} (a JSON node from a row, a filter value, or a Java value) for a column of {@code type}. */
  public static void bind(PreparedStatement ps, int index, Object value, String column, String type)
      throws SQLException {
    if (value instanceof JsonNode node) {
      bindNode(ps, index, node, column, type);
    } else if (value == null) {
      ps.setNull(index, Types.OTHER);
    } else if ((value instanceof Long || value instanceof Integer) && column == null) {
      // LIMIT and OFFSET: no column to infer a type from.
      ps.setLong(index, ((Number) value).longValue());
    } else {
      ps.setObject(index, text(javaText(value, column), column), Types.OTHER);
    }
  }

  /** Binds a Java value passed to raw SQL in a transaction: by its JDBC type, strings as unspecified. */
  public static void bindJava(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.OTHER);
    } else if (value instanceof Integer i) {
      ps.setInt(index, i);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Short s) {
      ps.setShort(index, s);
    } else if (value instanceof Double d) {
      ps.setDouble(index, d);
    } else if (value instanceof Float f) {
      ps.setFloat(index, f);
    } else if (value instanceof BigDecimal d) {
      ps.setBigDecimal(index, d);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else if (value instanceof byte[] bytes) {
      ps.setBytes(index, bytes);
    } else if (value instanceof UUID u) {
      ps.setObject(index, u);
    } else if (value instanceof Instant i) {
      ps.setObject(index, OffsetDateTime.ofInstant(i, ZoneOffset.UTC));
    } else if (value instanceof OffsetDateTime || value instanceof LocalDate || value instanceof LocalDateTime
        || value instanceof LocalTime) {
      ps.setObject(index, value);
    } else if (value instanceof JsonNode node) {
      requireNoNul(node, "parameter " + index);
      ps.setObject(index, node.isTextual() ? node.textValue() : node.toString(), Types.OTHER);
    } else {
      ps.setObject(index, text(javaText(value, "parameter " + index), "parameter " + index), Types.OTHER);
    }
  }

  private static void bindNode(PreparedStatement ps, int index, JsonNode node, String column, String type)
      throws SQLException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      ps.setNull(index, Types.OTHER);
    } else if (type != null && type.equals("bytea") && node.isTextual()) {
      ps.setBytes(index, base64(node.textValue(), column));
    } else {
      ps.setObject(index, nodeText(node, column, type), Types.OTHER);
    }
  }

  /**
   * The text PostgreSQL reads as {@code node}'s value in a column of {@code type}, exactly what {@link #bind} sends
   * for it (bytea, which it binds as bytes, as {@code \x} hex); null for a JSON null. Used where values travel as
   * the elements of an array literal.
   */
  static String nodeText(JsonNode node, String column, String type) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    } else if (isJson(type)) {
      requireNoNul(node, column);
      return node.toString();
    } else if (type != null && type.equals("bytea") && node.isTextual()) {
      return hex(base64(node.textValue(), column));
    } else if (type != null && type.startsWith("_") && node.isArray()) {
      return arrayLiteral(node, column);
    } else if (node.isTextual()) {
      return text(node.textValue(), column);
    } else if (node.isBigDecimal()) {
      return node.decimalValue().toPlainString();
    } else if (node.isValueNode()) {
      return node.asText();
    } else {
      requireNoNul(node, column);
      return node.toString();
    }
  }

  private static boolean isJson(String type) {
    return type != null && (type.equals("json") || type.equals("jsonb"));
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** {@code bytes} in bytea's hex input form, {@code \x0aff}. */
  static String hex(byte[] bytes) {
    char[] out = new char[2 + bytes.length * 2];
    out[0] = '\\';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[3 + 2 * i] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Appends {@code text} to {@code out} as one element of an array literal: double-quoted, with backslashes and
   * double quotes escaped, so any text (commas, braces, {@code NULL}, white space) stays exactly itself; a null
   * element as {@code NULL}.
   */
  static void appendArrayElement(StringBuilder out, String text) {
    if (text == null) {
      out.append("NULL");
      return;
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"' || ch == '\\') {
        out.append('\\');
      }
      out.append(ch);
    }
    out.append('"');
  }

  /** Rejects a JSON value holding U+0000 in any string or field name (jsonb cannot store it). */
  private static void requireNoNul(JsonNode node, String column) {
    if (node.isTextual()) {
      text(node.textValue(), column);
    } else if (node.isContainerNode()) {
      for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> e = it.next();
        text(e.getKey(), column);
        requireNoNul(e.getValue(), column);
      }
      if (node.isArray()) {
        node.elements().forEachRemaining(e -> requireNoNul(e, column));
      }
    }
  }

  private static String javaText(Object value, String column) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
        || value instanceof UUID || value instanceof Character || value instanceof TemporalAccessor) {
      return value.toString();
    }
    throw new InvalidRequestException("A value of type " + value.getClass().getName() + " for " + column
        + " cannot be sent to PostgreSQL", ErrorDetails.of("jdbc")
        .withHint("Pass a string, number, boolean, UUID, enum, java.time value or JSON node."), null);
  }

  /** {@code s}, or an error when PostgreSQL could not store it. */
  static String text(String s, String column) {
    if (s.indexOf('\u0000') >= 0) {
      throw new InvalidRequestException("The value for " + column + " contains the NUL character (U+0000), "
          + "which PostgreSQL text and jsonb cannot store", ErrorDetails.of("jdbc").withCode("22021")
          .withHint("Remove NUL characters, or store the data in a bytea column as base64."), null);
    }
    return s;
  }

  private static byte[] base64(String s, String column) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("The value for bytea column " + column + " is not base64",
          ErrorDetails.of("jdbc").withHint("Encode binary values as standard base64."), e);
    }
  }

  /** A PostgreSQL array literal such as {@code {"a","b\"c",NULL}}: every element quoted, so any text is safe. */
  private static String arrayLiteral(JsonNode array, String column) {
    StringBuilder out = new StringBuilder("{");
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      JsonNode e = it.next();
      appendArrayElement(out, e.isNull() ? null : text(e.isValueNode() ? e.asText() : e.toString(), column));
      if (it.hasNext()) {
        out.append(',');
      }
    }
    return out.append('}').toString();
  }
}
