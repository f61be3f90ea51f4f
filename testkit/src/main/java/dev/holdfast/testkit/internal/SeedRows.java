package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows a test seeds a table with into JSON rows: JSON objects as they are, maps by entry, records by
 * component (named as declared), each value as a filter value would be stored ({@code java.time} as ISO-8601,
 * enums by name), nested maps, lists and arrays as JSON. Stateless and thread-safe.
 */
public final class SeedRows {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);
  /** Numbers exactly as written: a seed must store what the test wrote, never a rounded double. */
  private static final ObjectMapper MAPPER = dev.holdfast.testkit.internal.rest.PgJsonb.STREAMING;

  private SeedRows() {}

  /** The rows of a JSON array of objects, or of a single object. */
  public static List<ObjectNode> fromJson(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid("Seed JSON is not valid JSON: " + e.getOriginalMessage());
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (JsonNode row : node != null && node.isArray() ? node : List.of(node == null ? NODES.nullNode() : node)) {
      if (!row.isObject()) {
        throw invalid("Seed JSON must be an object or an array of objects, found " + row.getNodeType());
      }
      rows.add((ObjectNode) row);
    }
    return rows;
  }

  /** The rows of Java objects: JSON objects, maps with string keys, or records. */
  public static List<ObjectNode> fromObjects(Collection<?> objects) {
    List<ObjectNode> rows = new ArrayList<>(objects.size());
    for (Object o : objects) {
      rows.add(row(o));
    }
    return rows;
  }

  private static ObjectNode row(Object o) {
    if (o instanceof ObjectNode node) {
      return node.deepCopy();
    }
    ObjectNode row = NODES.objectNode();
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> row.set(String.valueOf(k), value(v)));
      return row;
    }
    if (o != null && o.getClass().isRecord()) {
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          row.set(c.getName(), value(c.getAccessor().invoke(o)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("Cannot read " + c.getName() + " of " + o.getClass().getName(), e);
        }
      }
      return row;
    }
    throw invalid("A seed row must be a record, a Map or a JSON object, not "
        + (o == null ? "null" : o.getClass().getName()));
  }

  private static JsonNode value(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray() || v.getClass().isRecord()) {
      if (v instanceof Map<?, ?> || v.getClass().isRecord()) {
        return row(v);
      }
      var array = NODES.arrayNode();
      Iterable<?> items = v instanceof Collection<?> c ? c : arrayItems(v);
      items.forEach(item -> array.add(value(item)));
      return array;
    }
    return JsonValues.toJson(v);
  }

  private static List<Object> arrayItems(Object array) {
    int n = java.lang.reflect.Array.getLength(array);
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(java.lang.reflect.Array.get(array, i));
    }
    return items;
  }

  private static InvalidRequestException invalid(String message) {
    return new InvalidRequestException(message, ErrorDetails.of("memory"), null);
  }
}
