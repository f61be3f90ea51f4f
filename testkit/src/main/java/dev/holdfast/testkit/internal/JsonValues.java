package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;

/**
 * PostgreSQL-like value semantics over JSON: filter values become JSON, and a column's JSON value compares with a
 * filter value or another row's value by type (numbers numerically, timestamps with an offset as instants, other
 * text by code point, booleans false before true). Stateless and thread-safe.
 */
public final class JsonValues {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonValues() {}

  /**
   * A filter value (see {@link dev.holdfast.Filter}) as JSON: numbers and booleans as themselves, everything
   * else as the text a database would be sent (enums by name, {@code java.time} values as ISO-8601).
   */
  public static JsonNode toJson(Object value) {
    if (value instanceof JsonNode node) {
      return node;
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return NODES.numberNode(((Number) value).longValue());
    } else if (value instanceof BigInteger i) {
      return NODES.numberNode(i);
    } else if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? NODES.numberNode(BigDecimal.valueOf(d)) : NODES.textNode(Double.toString(d));
    } else if (value instanceof Number n) {
      return NODES.numberNode(new BigDecimal(n.toString()));
    } else if (value instanceof Enum<?> e) {
      return NODES.textNode(e.name());
    } else if (value instanceof ZonedDateTime z) {
      return NODES.textNode(z.toOffsetDateTime().toString());
    } else if (value instanceof CharSequence || value instanceof UUID || value instanceof Character
        || value instanceof TemporalAccessor) {
      return NODES.textNode(value.toString());
    }
    throw new InvalidRequestException("A filter value of type " + value.getClass().getName() + " is not supported",
        ErrorDetails.of("memory").withHint("Pass a string, number, boolean, UUID, enum or java.time value."), null);
  }

  /** The JSON tree of a typed {@code json}/{@code jsonb} value, or the value itself. */
  public static JsonNode unwrap(JsonNode v) {
    if (v instanceof dev.holdfast.testkit.internal.rest.PgNodes.Jsonb j) {
      return j.tree();
    }
    if (v instanceof dev.holdfast.testkit.internal.rest.PgNodes.JsonText j) {
      return j.tree();
    }
    return v;
  }

  /** Whether {@code value} is SQL NULL: absent, or JSON null. */
  public static boolean isNull(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  /**
   * Compares a non-null column value with a non-null filter value the way PostgreSQL compares a column with a
   * literal: the literal is read as the column's type.
   *
   * @throws InvalidRequestException when the literal cannot be read as the column's type (SQLSTATE 22P02) or the
   *     types have no comparison (42883)
   */
  public static int compareWithLiteral(JsonNode columnValue, JsonNode literal) {
    JsonNode column = unwrap(columnValue);
    if (column.isNumber()) {
      if (literal.isNumber()) {
        return compareNumbers(column, literal);
      }
      if (literal.isTextual()) {
        return column.decimalValue().compareTo(parseNumber(literal.textValue()));
      }
    } else if (column.isBoolean()) {
      if (literal.isBoolean()) {
        return Boolean.compare(column.booleanValue(), literal.booleanValue());
      }
      if (literal.isTextual()) {
        return Boolean.compare(column.booleanValue(), parseBoolean(literal.textValue()));
      }
    } else if (column.isTextual()) {
      String text = literal.isTextual() ? literal.textValue() : literal.asText();
      if (literal.isValueNode()) {
        return compareText(column.textValue(), text);
      }
    } else if (column.isContainerNode()) {
      JsonNode parsed = literal.isTextual() ? parseJson(literal.textValue()) : literal;
      return column.equals(parsed) ? 0 : compareText(column.toString(), parsed.toString());
    }
    throw new InvalidRequestException("Cannot compare a " + column.getNodeType() + " column with "
        + literal.getNodeType() + " value " + literal, ErrorDetails.of("memory").withCode("42883")
        .withHint("Compare the column with a value of its own type."), null);
  }

  /**
   * A total order of non-null values of one column, for sorting: by type first (so mixed columns sort stably),
   * then as {@link #compareWithLiteral} compares values of the same type.
   */
  public static int compareForOrdering(JsonNode x, JsonNode y) {
    JsonNode a = unwrap(x);
    JsonNode b = unwrap(y);
    int byType = Integer.compare(typeRank(a), typeRank(b));
    if (byType != 0) {
      return byType;
    }
    if (a.isNumber()) {
      return compareNumbers(a, b);
    } else if (a.isBoolean()) {
      return Boolean.compare(a.booleanValue(), b.booleanValue());
    } else if (a.isTextual()) {
      return compareText(a.textValue(), b.textValue());
    }
    return compareText(a.toString(), b.toString());
  }

  /**
   * Compares two texts as PostgreSQL compares a timestamptz when both are ISO-8601 timestamps with an offset,
   * and otherwise by Unicode code point (the C collation).
   */
  public static int compareText(String a, String b) {
    if (looksLikeTimestamp(a) && looksLikeTimestamp(b)) {
      Instant x = parseTimestamp(a);
      Instant y = parseTimestamp(b);
      if (x != null && y != null) {
        return x.compareTo(y);
      }
    }
    return compareCodePoints(a, b);
  }

  /** Compares by Unicode code point, unlike {@link String#compareTo}, which compares UTF-16 units. */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Whether two values are equal as SQL values (numbers by value, timestamps by instant); false when unequal types. */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    return typeRank(a) == typeRank(b) && compareForOrdering(a, b) == 0;
  }

  /** Parses an ISO-8601 timestamp with an offset or {@code Z} (a space may stand for the {@code T}), or null. */
  public static Instant parseTimestamp(String text) {
    if (!looksLikeTimestamp(text)) {
      return null;
    }
    String iso = text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean looksLikeTimestamp(String s) {
    if (s.length() < 20 || s.length() > 40 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return false;
    }
    char t = s.charAt(10);
    char last = s.charAt(s.length() - 1);
    return (t == 'T' || t == ' ') && (last == 'Z' || s.lastIndexOf('+') > 10 || s.lastIndexOf('-') > 10);
  }

  private static int compareNumbers(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return a.decimalValue().compareTo(b.decimalValue());
  }

  private static int typeRank(JsonNode node) {
    if (node.isNumber()) {
      return 0;
    } else if (node.isBoolean()) {
      return 1;
    } else if (node.isTextual()) {
      return 2;
    }
    return 3;
  }

  private static BigDecimal parseNumber(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw invalidInput("numeric", text);
    }
  }

  private static boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "t", "yes", "on", "1" -> true;
      case "false", "f", "no", "off", "0" -> false;
      default -> throw invalidInput("boolean", text);
    };
  }

  private static JsonNode parseJson(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw invalidInput("json", text);
    }
  }

  private static InvalidRequestException invalidInput(String type, String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return new InvalidRequestException("invalid input syntax for type " + type + ": \"" + shown + "\"",
        ErrorDetails.of("memory").withCode("22P02").withHint("Pass a value of the column's type."), null);
  }
}
