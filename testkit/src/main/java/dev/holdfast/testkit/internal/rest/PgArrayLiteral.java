package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One-dimensional PostgreSQL array literals: {@code {a,"b c",NULL}} read (an unquoted {@code NULL} is SQL NULL,
 * quoted elements take backslash escapes) and printed. Stateless.
 */
final class PgArrayLiteral {
  private PgArrayLiteral() {}

  static List<String> parse(String text) {
    String s = text.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw malformed(text, "Array value must start with \"{\" or dimension information.");
    }
    List<String> out = new ArrayList<>();
    String body = s.substring(1, s.length() - 1);
    if (body.isBlank()) {
      return out;
    }
    int i = 0;
    while (i <= body.length()) {
      while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
        i++;
      }
      StringBuilder item = new StringBuilder();
      boolean quoted = false;
      if (i < body.length() && body.charAt(i) == '"') {
        quoted = true;
        i++;
        while (i < body.length() && body.charAt(i) != '"') {
          char c = body.charAt(i++);
          if (c == '\\' && i < body.length()) {
            c = body.charAt(i++);
          }
          item.append(c);
        }
        if (i >= body.length()) {
          throw malformed(text, "Unexpected end of input.");
        }
        i++;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
          i++;
        }
      } else {
        while (i < body.length() && body.charAt(i) != ',') {
          char c = body.charAt(i++);
          if (c == '{' || c == '}' || c == '"') {
            throw malformed(text, "Unexpected \"" + c + "\" character.");
          }
          if (c == '\\' && i < body.length()) {
            c = body.charAt(i++);
          }
          item.append(c);
        }
      }
      String value = quoted ? item.toString() : item.toString().strip();
      out.add(!quoted && value.equalsIgnoreCase("null") ? null : value);
      if (i >= body.length()) {
        break;
      }
      if (body.charAt(i) != ',') {
        throw malformed(text, "Unexpected array element.");
      }
      i++;
    }
    return out;
  }

  private static PgError malformed(String text, String detail) {
    return new PgError("22P02", "malformed array literal: \"" + text + "\"", detail, null);
  }

  static String print(JsonNode array) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < array.size(); i++) {
      JsonNode e = array.get(i);
      out.append(i == 0 ? "" : ",");
      if (e.isNull()) {
        out.append("NULL");
      } else {
        String t = PgType.outputText(null, e);
        boolean quote = t.isEmpty() || t.equalsIgnoreCase("null") || t.chars().anyMatch(c -> "{},\"\\ ".indexOf(c) >= 0);
        out.append(quote ? "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : t);
      }
    }
    return out.append('}').toString();
  }
}
