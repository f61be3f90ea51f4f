package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way the two producers of a PostgREST response body write it. {@link #write} is PostgreSQL:
 * {@code row_to_json} objects without spaces, {@code json_agg} arrays separated by {@code ", \n "}, {@code jsonb}
 * values as {@code {"a": 1, "b": [1, 2]}}, {@code json} values as given, {@code numeric} in plain notation,
 * strings escaped by {@code escape_json}. {@link #aeson} is Haskell's aeson, which writes PostgREST's own error
 * bodies: compact, keys in the order given. Stateless.
 */
public final class PgJson {
  private PgJson() {}

  /** {@code node} as PostgreSQL prints it in a response body. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node instanceof PgNodes.JsonText j) {
      out.append(j.raw());
    } else if (node instanceof PgNodes.Jsonb j) {
      jsonb(j.tree(), out);
    } else if (node instanceof PgNodes.Agg agg) {
      out.append('[');
      for (int i = 0; i < agg.size(); i++) {
        out.append(i == 0 ? "" : ", \n ");
        write(agg.get(i), out);
      }
      out.append(']');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isObject()) {
      out.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(first ? "" : ",");
        first = false;
        string(e.getKey(), out, true);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else {
      scalar(node, out);
    }
  }

  /** A {@code jsonb} value as {@code jsonb_out} prints it. */
  public static String jsonb(JsonNode node) {
    StringBuilder out = new StringBuilder();
    jsonb(node, out);
    return out.toString();
  }

  private static void jsonb(JsonNode node, StringBuilder out) {
    if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        jsonb(node.get(i), out);
      }
      out.append(']');
    } else if (node.isObject()) {
      out.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(first ? "" : ", ");
        first = false;
        string(e.getKey(), out, true);
        out.append(": ");
        jsonb(e.getValue(), out);
      }
      out.append('}');
    } else if (node.isNumber()) {
      out.append(node.decimalValue().toPlainString());
    } else {
      scalar(node, out);
    }
  }

  private static void scalar(JsonNode node, StringBuilder out) {
    if (node.isTextual()) {
      string(node.textValue(), out, true);
    } else if (node instanceof PgNodes.Numeric n) {
      out.append(n.decimalValue().toPlainString());
    } else if (node.isDouble() || node.isFloat()) {
      out.append(PgFloat.format(node.doubleValue(), node.isFloat()));
    } else if (node.isBigDecimal()) {
      BigDecimal d = node.decimalValue();
      out.append(d.toString());
    } else if (node.isNumber() || node.isBoolean()) {
      out.append(node.asText());
    } else if (node.isNull()) {
      out.append("null");
    } else {
      string(node.asText(), out, true);
    }
  }

  /** {@code {"k":v,...}} with aeson's escaping, for PostgREST's own JSON. */
  public static String aeson(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : fields.entrySet()) {
      out.append(first ? "" : ",");
      first = false;
      string(e.getKey(), out, false);
      out.append(':');
      if (e.getValue() == null) {
        out.append("null");
      } else {
        string(e.getValue(), out, false);
      }
    }
    return out.append('}').toString();
  }

  /**
   * A JSON string: PostgreSQL's {@code escape_json} has short escapes for \b \f \n \r \t; aeson only for \n \r
   * \t; both write other control characters as <code>&#92;u00xx</code> and everything else, {@code /} and non-ASCII
   * included, as is.
   */
  static void string(String s, StringBuilder out, boolean postgres) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append(postgres ? "\\b" : "\\u0008");
        case '\f' -> out.append(postgres ? "\\f" : "\\u000c");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
