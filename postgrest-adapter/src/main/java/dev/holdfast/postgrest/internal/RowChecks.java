package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The backend's checks on rows before they are sent, the same rules the JDBC backend applies: every key is a
 * valid column identifier (PostgREST would otherwise drop or misread it, and the value would come back null,
 * lost without an error), and no string, key or nested JSON text holds the NUL character, which PostgreSQL text
 * and jsonb cannot store. Thread-safe (stateless).
 */
public final class RowChecks {
  private static final int MAX_DEPTH = 1000;

  private RowChecks() {}

  /**
   * Checks every row of {@code rows}.
   *
   * @throws InvalidRequestException naming the first column that breaks a rule
   */
  public static void require(List<ObjectNode> rows, String table) {
    for (ObjectNode row : rows) {
      require(row, table);
    }
  }

  /**
   * Checks {@code row}.
   *
   * @throws InvalidRequestException naming the first column that breaks a rule
   */
  public static void require(ObjectNode row, String table) {
    for (Iterator<Map.Entry<String, JsonNode>> it = row.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Identifier.require(field.getKey(), "column");
      if (holdsNul(field.getValue(), 0)) {
        throw new InvalidRequestException("The value for " + table + "." + field.getKey() + " contains the NUL "
            + "character (U+0000), which PostgreSQL text and jsonb cannot store", ErrorDetails
            .of(ErrorMapper.BACKEND).withCode("22021").withHint("Remove NUL characters, or store the data in a "
                + "bytea column as base64."), null);
      }
    }
  }

  private static boolean holdsNul(JsonNode value, int depth) {
    if (value.isTextual()) {
      return value.textValue().indexOf('\u0000') >= 0;
    }
    if (!value.isContainerNode() || depth > MAX_DEPTH) {
      return false;
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().indexOf('\u0000') >= 0 || holdsNul(e.getValue(), depth + 1)) {
          return true;
        }
      }
      return false;
    }
    for (JsonNode e : value) {
      if (holdsNul(e, depth + 1)) {
        return true;
      }
    }
    return false;
  }
}
