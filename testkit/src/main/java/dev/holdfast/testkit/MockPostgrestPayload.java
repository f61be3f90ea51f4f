package dev.holdfast.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.QueryStrings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request body as PostgREST 13 takes it: JSON must parse ({@code 400 PGRST102 Empty or invalid json}), an
 * array's objects must share their keys unless {@code ?columns} names them ({@code All object keys must
 * match}), a body that is neither object nor array inserts nothing, an empty RPC body is {@code {}}, a form body
 * is an object of strings. Each row keeps the exact text of its values, because {@code json_to_recordset} hands
 * a {@code json} or {@code text} column that text verbatim. Immutable.
 */
final class MockPostgrestPayload {
  /** The rows (one for an object body), each with the raw text of its top-level values. */
  final List<ObjectNode> rows;
  final List<Map<String, String>> raw;
  /** The payload's keys (null when {@code ?columns} decides them); the whole body for a single-json-param RPC. */
  final Set<String> keys;
  final boolean isObject;
  final String text;

  private MockPostgrestPayload(List<ObjectNode> rows, List<Map<String, String>> raw, Set<String> keys,
      boolean isObject, String text) {
    this.rows = rows;
    this.raw = raw;
    this.keys = keys;
    this.isObject = isObject;
    this.text = text;
  }

  static MockPostgrestPayload parse(String body, MockPostgrestMedia type, boolean columnsGiven, boolean routine) {
    switch (type.kind()) {
      case JSON -> {
        String text = body.isEmpty() && routine ? "{}" : body;
        return json(text, columnsGiven);
      }
      case URLENCODED -> {
        ObjectNode row = PgJsonb.MAPPER.createObjectNode();
        Map<String, String> raw = new HashMap<>();
        for (String[] kv : QueryStrings.split(body)) {
          row.put(kv[0], kv[1] == null ? "" : kv[1]);
        }
        return new MockPostgrestPayload(List.of(row), List.of(raw), new LinkedHashSet<>(keys(row)), true, body);
      }
      case CSV -> throw MockPostgrestError.unsupported("CSV request bodies (text/csv)");
      default -> throw new MockPostgrestError(400, "PGRST102", "Content-Type not acceptable: " + type.mime(), null,
          null);
    }
  }

  private static MockPostgrestPayload json(String text, boolean columnsGiven) {
    List<ObjectNode> rows = new ArrayList<>();
    List<Map<String, String>> raws = new ArrayList<>();
    JsonNode tree;
    try (JsonParser p = PgJsonb.STREAMING.getFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw invalid(columnsGiven, text);
      }
      if (first == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            readObject(p, text, rows, raws);
          } else {
            rows.add(null);
            raws.add(null);
            PgJsonb.STREAMING.readTree(p);
          }
        }
        tree = null;
      } else if (first == JsonToken.START_OBJECT) {
        readObject(p, text, rows, raws);
        tree = null;
      } else {
        tree = PgJsonb.STREAMING.readTree(p);
      }
      if (p.nextToken() != null) {
        throw invalid(columnsGiven, text);
      }
    } catch (IOException e) {
      throw invalid(columnsGiven, text);
    }
    boolean isObject = text.stripLeading().startsWith("{");
    if (tree != null) {
      // PostgREST reads a body that is neither an object nor an array as an empty array.
      return new MockPostgrestPayload(List.of(), List.of(), columnsGiven ? null : Set.of(), false, text);
    }
    if (columnsGiven) {
      List<ObjectNode> objects = new ArrayList<>();
      List<Map<String, String>> objectRaws = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i) != null) {
          objects.add(rows.get(i));
          objectRaws.add(raws.get(i));
        }
      }
      return new MockPostgrestPayload(objects, objectRaws, null, isObject, text);
    }
    Set<String> keys = null;
    for (ObjectNode row : rows) {
      if (row == null) {
        throw new MockPostgrestError(400, "PGRST102", "All object keys must match", null, null);
      }
      Set<String> k = new LinkedHashSet<>(keys(row));
      if (keys == null) {
        keys = k;
      } else if (!keys.equals(k)) {
        throw new MockPostgrestError(400, "PGRST102", "All object keys must match", null, null);
      }
    }
    return new MockPostgrestPayload(rows, raws, keys == null ? Set.of() : keys, isObject, text);
  }

  private static MockPostgrestError invalid(boolean columnsGiven, String text) {
    if (columnsGiven) {
      // With ?columns PostgREST hands the body to PostgreSQL unparsed, which reports the syntax error.
      try {
        PgJsonb.parse(text);
      } catch (dev.holdfast.testkit.internal.rest.PgError e) {
        return MockPostgrestError.of(e, true);
      }
    }
    return new MockPostgrestError(400, "PGRST102", "Empty or invalid json", null, null);
  }

  private static void readObject(JsonParser p, String text, List<ObjectNode> rows, List<Map<String, String>> raws)
      throws IOException {
    ObjectNode row = PgJsonb.MAPPER.createObjectNode();
    Map<String, String> raw = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      int start = (int) p.currentTokenLocation().getCharOffset();
      JsonNode value = PgJsonb.STREAMING.readTree(p);
      int end = (int) p.currentLocation().getCharOffset();
      row.set(name, value);
      raw.put(name, text.substring(start, Math.min(end, text.length())));
    }
    rows.add(row);
    raws.add(raw);
  }

  private static List<String> keys(ObjectNode row) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
