package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A table or view of a {@link PostgrestClient}, from which reads and writes start, as in postgrest-js:
 * {@code from("tasks").select(...)}, {@code .insert(...)}, {@code .upsert(...)}, {@code .update(...)},
 * {@code .delete()}. Immutable and thread-safe; each method returns a new, not thread-safe
 * {@link PostgrestRequest}.
 */
public final class PostgrestTable {
  private final PostgrestClient client;
  private final String name;

  PostgrestTable(PostgrestClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /** The table's name. */
  public String name() {
    return name;
  }

  /**
   * A read of {@code columns}: PostgREST's select syntax, such as {@code id,title}, {@code id,label:title} (a
   * rename) or {@code id,author:users(name)} (an embedded resource); {@code *} for every column.
   */
  public PostgrestRequest select(String columns) {
    return request("GET", null, PostgrestRequest.Kind.READ).select(columns);
  }

  /**
   * Inserts one row (a JSON object) or many (a JSON array of objects). Rows whose keys differ are sent with
   * {@code columns=} and {@code Prefer: missing=default}, so absent keys take the column's default.
   *
   * @throws NullPointerException if {@code rows} is null
   * @throws IllegalArgumentException if {@code rows} is neither an object nor an array
   */
  public PostgrestRequest insert(JsonNode rows) {
    return request("POST", requireRows(rows), PostgrestRequest.Kind.INSERT);
  }

  /** Inserts {@code rows}; see {@link #insert(JsonNode)}. */
  public PostgrestRequest insert(List<? extends JsonNode> rows) {
    return insert(client.mapper().createArrayNode().addAll(List.copyOf(rows)));
  }

  /**
   * Inserts rows, or merges them into existing rows with the same primary key (or the columns given to
   * {@link PostgrestRequest#onConflict}); {@link PostgrestRequest#ignoreDuplicates()} skips existing rows instead.
   * PostgREST answers 201 when it created a row and 200 when every row already existed.
   */
  public PostgrestRequest upsert(JsonNode rows) {
    return request("POST", requireRows(rows), PostgrestRequest.Kind.UPSERT);
  }

  /** Upserts {@code rows}; see {@link #upsert(JsonNode)}. */
  public PostgrestRequest upsert(List<? extends JsonNode> rows) {
    return upsert(client.mapper().createArrayNode().addAll(List.copyOf(rows)));
  }

  /** Sets {@code changes} on the rows the request's filters match ({@code PATCH}). */
  public PostgrestRequest update(ObjectNode changes) {
    Objects.requireNonNull(changes, "changes");
    return request("PATCH", changes, PostgrestRequest.Kind.UPDATE);
  }

  /** Deletes the rows the request's filters match. */
  public PostgrestRequest delete() {
    return request("DELETE", null, PostgrestRequest.Kind.DELETE);
  }

  private PostgrestRequest request(String method, JsonNode body, PostgrestRequest.Kind kind) {
    return new PostgrestRequest(client, method, List.of(name), body, kind);
  }

  private static JsonNode requireRows(JsonNode rows) {
    Objects.requireNonNull(rows, "rows");
    if (!rows.isObject() && !rows.isArray()) {
      throw new IllegalArgumentException("rows must be a JSON object or array, not " + rows.getNodeType());
    }
    return rows;
  }

  @Override
  public String toString() {
    return "PostgrestTable{" + name + "}";
  }
}
