package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type of the in-memory engine, with PostgreSQL's input rules (what {@code json_to_recordset} and a
 * filter literal accept, and the exact 22P02/22003/22007 errors otherwise), its stored form (exact
 * {@code numeric}, normalised {@code jsonb}, verbatim {@code json}, canonical timestamps) and its output. The
 * supported types are listed in {@link #SUPPORTED}. Immutable and thread-safe.
 */
public final class PgType {
  /** The type families. */
  public enum Kind { SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE, TEXT, BOOLEAN, UUID, JSON, JSONB, TIMESTAMPTZ,
    TIMESTAMP, DATE, ARRAY }

  /** The names accepted by {@link #of}, for error messages. */
  public static final String SUPPORTED = "smallint, integer, bigint, numeric[(p,s)], real, double precision, text, "
      + "varchar[(n)], boolean, uuid, json, jsonb, timestamptz, timestamp, date, and arrays of the scalar ones "
      + "(text[], bigint[], ...)";

  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);
  private static final Pattern NUMERIC = Pattern.compile("numeric|decimal|numeric\\((\\d+)(?:,(\\d+))?\\)|"
      + "decimal\\((\\d+)(?:,(\\d+))?\\)");
  private static final Pattern VARCHAR = Pattern.compile("(?:varchar|character varying)\\((\\d+)\\)");
  private static final Pattern UUID_TEXT = Pattern.compile("\\{?([0-9a-fA-F]{4}-?){7}[0-9a-fA-F]{4}}?");

  public final Kind kind;
  public final Integer precision;
  public final Integer scale;
  public final PgType element;
  private final String name;

  private PgType(Kind kind, Integer precision, Integer scale, PgType element, String name) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.element = element;
    this.name = name;
  }

  private static final java.util.Map<String, PgType> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** {@link #of}, remembered: specs name their types once and requests look them up many times. */
  public static PgType cached(String declared) {
    PgType t = CACHE.get(declared);
    if (t == null) {
      t = of(declared);
      CACHE.put(declared, t);
    }
    return t;
  }

  /**
   * The type named {@code declared} as in DDL ({@code bigint}, {@code int8}, {@code numeric(12,2)},
   * {@code text[]}, {@code timestamptz}, ...).
   *
   * @throws IllegalArgumentException for a type the engine does not emulate
   */
  public static PgType of(String declared) {
    String d = declared.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace(", ", ",");
    if (d.endsWith("[]")) {
      PgType e = of(d.substring(0, d.length() - 2));
      if (e.kind == Kind.ARRAY || e.kind == Kind.JSON) {
        throw new IllegalArgumentException("Unsupported column type '" + declared + "'; supported: " + SUPPORTED);
      }
      return new PgType(Kind.ARRAY, null, null, e, e.name + "[]");
    }
    Matcher n = NUMERIC.matcher(d);
    if (n.matches()) {
      String p = n.group(1) != null ? n.group(1) : n.group(3);
      String s = n.group(1) != null ? n.group(2) : n.group(4);
      Integer precision = p == null ? null : Integer.valueOf(p);
      Integer scale = p == null ? null : s == null ? 0 : Integer.valueOf(s);
      if (precision != null && (precision < 1 || precision > 1000 || scale > precision)) {
        throw new IllegalArgumentException("NUMERIC precision/scale out of range in '" + declared + "'");
      }
      return new PgType(Kind.NUMERIC, precision, scale, null, "numeric");
    }
    Matcher v = VARCHAR.matcher(d);
    if (v.matches()) {
      return new PgType(Kind.TEXT, Integer.valueOf(v.group(1)), null, null, "character varying");
    }
    return switch (d) {
      case "smallint", "int2" -> new PgType(Kind.SMALLINT, null, null, null, "smallint");
      case "integer", "int", "int4" -> new PgType(Kind.INTEGER, null, null, null, "integer");
      case "bigint", "int8" -> new PgType(Kind.BIGINT, null, null, null, "bigint");
      case "real", "float4" -> new PgType(Kind.REAL, null, null, null, "real");
      case "double precision", "float8", "float" -> new PgType(Kind.DOUBLE, null, null, null, "double precision");
      case "text" -> new PgType(Kind.TEXT, null, null, null, "text");
      case "varchar", "character varying" -> new PgType(Kind.TEXT, null, null, null, "character varying");
      case "boolean", "bool" -> new PgType(Kind.BOOLEAN, null, null, null, "boolean");
      case "uuid" -> new PgType(Kind.UUID, null, null, null, "uuid");
      case "json" -> new PgType(Kind.JSON, null, null, null, "json");
      case "jsonb" -> new PgType(Kind.JSONB, null, null, null, "jsonb");
      case "timestamptz", "timestamp with time zone" ->
          new PgType(Kind.TIMESTAMPTZ, null, null, null, "timestamp with time zone");
      case "timestamp", "timestamp without time zone" ->
          new PgType(Kind.TIMESTAMP, null, null, null, "timestamp without time zone");
      case "date" -> new PgType(Kind.DATE, null, null, null, "date");
      default -> throw new IllegalArgumentException("Unsupported column type '" + declared + "'; supported: "
          + SUPPORTED);
    };
  }

  /** The type's name as PostgreSQL prints it in errors ({@code bigint}, {@code timestamp with time zone}). */
  public String name() {
    return name;
  }

  public boolean isNumeric() {
    return kind == Kind.SMALLINT || kind == Kind.INTEGER || kind == Kind.BIGINT || kind == Kind.NUMERIC
        || kind == Kind.REAL || kind == Kind.DOUBLE;
  }

  public boolean isJson() {
    return kind == Kind.JSON || kind == Kind.JSONB;
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * A value of this type from a JSON payload, as {@code json_to_recordset} reads it: a JSON scalar's text goes
   * through the type's input function; {@code json}/{@code jsonb} take the value itself; arrays take a JSON array
   * or an array literal. {@code raw} is the value's text in the payload, or null to print it from the tree.
   *
   * @throws PgError as PostgreSQL reports bad input
   */
  public JsonNode fromJson(JsonNode value, String raw) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return NODES.nullNode();
    }
    if (value instanceof PgNodes.JsonText j) {
      return fromJson(j.tree(), j.raw());
    }
    if (value instanceof PgNodes.Jsonb j) {
      return fromJson(j.tree(), null);
    }
    // A JSON string's text is its value; the payload's raw text matters for numbers and containers, which
    // json_to_recordset hands on verbatim.
    String text = value.isTextual() ? value.textValue() : raw != null ? raw : value.isContainerNode()
        ? PgJson.write(value) : value instanceof PgNodes.Numeric n ? n.asText() : value.asText();
    switch (kind) {
      case JSON:
        return new PgNodes.JsonText(raw != null ? raw : PgJson.write(value), value);
      case JSONB:
        return PgJsonb.of(value);
      case ARRAY:
        if (value.isArray()) {
          ArrayNode out = NODES.arrayNode();
          for (JsonNode e : value) {
            out.add(element.fromJson(e, null));
          }
          return out;
        }
        if (value.isTextual()) {
          return fromText(value.textValue(), ZoneId.of("UTC"));
        }
        throw new PgError("22P02", "malformed array literal: \"" + text + "\"", null, null);
      case TEXT:
        // Assignment to varchar(n) checks the length; a literal compared with it does not.
        if (precision != null && text.codePointCount(0, text.length()) > precision) {
          throw new PgError("22001", "value too long for type character varying(" + precision + ")", null, null);
        }
        return fromText(text, null);
      case BOOLEAN:
        return value.isBoolean() ? value : fromText(text, null);
      default:
        if (value.isTextual()) {
          return fromText(value.textValue(), ZoneId.of("UTC"));
        }
        if (value.isContainerNode() || value.isBoolean()) {
          throw PgError.invalidInput(name, text);
        }
        return fromText(text, ZoneId.of("UTC"));
    }
  }

  /**
   * A value of this type from its text, as a filter literal or a query-string argument is read.
   *
   * @param zone the session time zone, for timestamps without an offset
   * @throws PgError as PostgreSQL reports bad input
   */
  public JsonNode fromText(String text, ZoneId zone) {
    switch (kind) {
      case SMALLINT:
        return NODES.numberNode(integral(text, -32768, 32767));
      case INTEGER:
        return NODES.numberNode(integral(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case BIGINT:
        return NODES.numberNode(integral(text, Long.MIN_VALUE, Long.MAX_VALUE));
      case NUMERIC:
        return numeric(text);
      case REAL:
      case DOUBLE:
        return floating(text);
      case TEXT:
        return NODES.textNode(text);
      case BOOLEAN:
        return NODES.booleanNode(bool(text));
      case UUID:
        if (!UUID_TEXT.matcher(text.strip()).matches()) {
          throw PgError.invalidInput(name, text);
        }
        String hex = text.strip().replace("-", "").replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
        return NODES.textNode(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
            + hex.substring(16, 20) + "-" + hex.substring(20));
      case JSON:
        return new PgNodes.JsonText(text, PgJsonb.parse(text));
      case JSONB:
        return PgJsonb.of(PgJsonb.parse(text));
      case TIMESTAMPTZ:
      case TIMESTAMP:
      case DATE:
        return NODES.textNode(PgTime.parse(this, text, zone == null ? ZoneId.of("UTC") : zone));
      case ARRAY:
        List<String> items = PgArrayLiteral.parse(text);
        ArrayNode out = NODES.arrayNode();
        for (String item : items) {
          out.add(item == null ? NODES.nullNode() : element.fromText(item, zone));
        }
        return out;
      default:
        throw new IllegalStateException(kind.toString());
    }
  }

  /** A stored value converted back to text, as PostgreSQL's output function prints it (errors' details). */
  public static String outputText(PgType type, JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "t" : "f";
    }
    if (type != null && (type.kind == Kind.TIMESTAMPTZ || type.kind == Kind.TIMESTAMP)) {
      return PgTime.text(v.textValue());
    }
    if (v instanceof PgNodes.Numeric n) {
      return n.asText();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isArray() && type != null && type.kind == Kind.ARRAY) {
      return PgArrayLiteral.print(v);
    }
    if (v instanceof PgNodes.Jsonb || v instanceof PgNodes.JsonText || v.isContainerNode()) {
      return v.toString();
    }
    return v.isNumber() ? PgJson.write(v) : v.asText();
  }

  private long integral(String text, long min, long max) {
    String s = text.strip();
    if (!s.matches("[+-]?\\d+")) {
      throw PgError.invalidInput(name, text);
    }
    BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new PgError("22003", "value \"" + text + "\" is out of range for type " + name, null, null);
    }
    return v.longValue();
  }

  private JsonNode numeric(String text) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("nan")) {
      return NODES.textNode("NaN");
    }
    if (lower.matches("[+]?inf(inity)?")) {
      return precision != null ? overflow() : NODES.textNode("Infinity");
    }
    if (lower.matches("-inf(inity)?")) {
      return precision != null ? overflow() : NODES.textNode("-Infinity");
    }
    if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw PgError.invalidInput(name, text);
    }
    BigDecimal v;
    try {
      v = new BigDecimal(s);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new PgError("22003", "value overflows numeric format", null, null);
    }
    if (v.scale() < 0) {
      v = v.setScale(0);
    }
    if (v.scale() > 16383 || v.precision() - v.scale() > 131072) {
      throw new PgError("22003", "value overflows numeric format", null, null);
    }
    if (precision != null) {
      v = v.setScale(scale, RoundingMode.HALF_UP);
      if (v.signum() != 0 && v.precision() - v.scale() > precision - scale) {
        return overflow();
      }
    }
    return new PgNodes.Numeric(v);
  }

  private JsonNode overflow() {
    int digits = precision - scale;
    throw new PgError("22003", "numeric field overflow", "A field with precision " + precision + ", scale " + scale
        + " must round to an absolute value less than " + (digits == 0 ? "1" : "10^" + digits) + ".", null);
  }

  private JsonNode floating(String text) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    double d;
    if (lower.equals("nan")) {
      d = Double.NaN;
    } else if (lower.matches("[+]?inf(inity)?")) {
      d = Double.POSITIVE_INFINITY;
    } else if (lower.matches("-inf(inity)?")) {
      d = Double.NEGATIVE_INFINITY;
    } else if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      d = Double.parseDouble(s);
      if (Double.isInfinite(d) || (d == 0 && new BigDecimal(s).signum() != 0)
          || (kind == Kind.REAL && (Float.isInfinite((float) d) || ((float) d == 0 && d != 0)))) {
        throw new PgError("22003", "\"" + text + "\" is out of range for type " + name, null, null);
      }
    } else {
      throw PgError.invalidInput(name, text);
    }
    return kind == Kind.REAL ? NODES.numberNode((float) d) : NODES.numberNode(d);
  }

  private boolean bool(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (!s.isEmpty()) {
      if ("true".startsWith(s) || "yes".startsWith(s) || s.equals("on") || s.equals("1")) {
        return true;
      }
      if ("false".startsWith(s) || "no".startsWith(s) || s.equals("off") || s.equals("of") || s.equals("0")) {
        return false;
      }
    }
    throw PgError.invalidInput(name, text);
  }

  /** A text value stored in a column of this type: what an equality with text compares. */
  public static TextNode text(String s) {
    return NODES.textNode(s);
  }
}
