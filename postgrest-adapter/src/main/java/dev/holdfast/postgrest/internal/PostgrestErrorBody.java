package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * PostgREST's error body {@code {"code","message","details","hint"}}, parsed leniently: fields may be null or
 * missing, and a body that is not a JSON object yields null rather than an exception. Immutable.
 *
 * @param code a PostgREST code ({@code PGRST205}) or a forwarded SQLSTATE ({@code 23505}), or null
 * @param message the message, or null
 * @param details the details, or null
 * @param hint the hint, or null
 */
public record PostgrestErrorBody(String code, String message, String details, String hint) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The parsed body, or null when {@code body} is not a JSON object with at least a code or a message. */
  public static PostgrestErrorBody parse(String body) {
    if (body == null || body.isBlank() || body.stripLeading().charAt(0) != '{') {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        return null;
      }
      PostgrestErrorBody parsed = new PostgrestErrorBody(text(node, "code"), text(node, "message"),
          text(node, "details"), text(node, "hint"));
      return parsed.code == null && parsed.message == null ? null : parsed;
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
