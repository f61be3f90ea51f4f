package dev.holdfast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The rule for values every backend shares: PostgreSQL's text and jsonb cannot hold the NUL character (U+0000), so a
 * string holding one, anywhere in a row, a change, a filter value or a key, is refused with {@link
 * InvalidRequestException} before anything is sent, on every backend alike (an in-memory backend could store it,
 * but then code tested on it would fail in production). Internal; stateless.
 */
public final class Values {
  private Values() {}

  /**
   * {@code text}, if it holds no NUL.
   *
   * @param what what the text is, for the message ("the value for column name", "the key")
   */
  public static String requireNoNul(String text, String what) {
    if (text.indexOf('\u0000') >= 0) {
      throw new InvalidRequestException(capitalized(what) + " contains the NUL character (U+0000), which "
          + "PostgreSQL text and jsonb cannot store", ErrorDetails.of("holdfast").withCode("22021")
          .withHint("Remove NUL characters, or store the data in a bytea column as base64."), null);
    }
    return text;
  }

  /** {@code value}, if no string in it (or field name, for an object) holds a NUL. */
  public static JsonNode requireStorable(JsonNode value, String column) {
    if (value == null) {
      return null;
    }
    // A loop over a queue, not recursion: a hostile value may nest thousands deep, more than a thread's stack
    // holds, and must end in the serializer's typed error rather than a StackOverflowError.
    ArrayDeque<JsonNode> pending = null;
    for (JsonNode node = value; node != null; node = pending == null ? null : pending.poll()) {
      if (node.isTextual()) {
        requireNoNul(node.textValue(), "the value for column " + column);
      } else if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          requireNoNul(e.getKey(), "a field name in the value for column " + column);
          pending = queue(pending, e.getValue());
        }
      } else if (node.isArray()) {
        for (JsonNode element : node) {
          pending = queue(pending, element);
        }
      }
    }
    return value;
  }

  /** {@code pending} with {@code node} added when it may hold a string; made on first use. */
  private static ArrayDeque<JsonNode> queue(ArrayDeque<JsonNode> pending, JsonNode node) {
    if (!node.isTextual() && !node.isContainerNode()) {
      return pending;
    }
    ArrayDeque<JsonNode> out = pending == null ? new ArrayDeque<>() : pending;
    out.add(node);
    return out;
  }

  private static String capitalized(String what) {
    return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
  }
}
