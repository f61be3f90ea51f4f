package dev.holdfast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
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
    if (value.isTextual()) {
      requireNoNul(value.textValue(), "the value for column " + column);
    } else if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        requireNoNul(e.getKey(), "a field name in the value for column " + column);
        requireStorable(e.getValue(), column);
      }
    } else if (value.isArray()) {
      for (JsonNode element : value) {
        requireStorable(element, column);
      }
    }
    return value;
  }

  private static String capitalized(String what) {
    return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
  }
}
