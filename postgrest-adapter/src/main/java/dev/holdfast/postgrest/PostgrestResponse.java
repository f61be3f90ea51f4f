package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What PostgREST answered: the status, the JSON body, and the count from {@code Content-Range} when one was asked
 * for. Immutable once built (the body is not copied; do not modify it). Thread-safe.
 *
 * @param status the HTTP status (200, 201, 204, 206); 0 when no request was needed because the filter matches
 *     no row
 * @param body the JSON body; a {@code MissingNode} when there was none ({@code return=minimal}, HEAD)
 * @param count the total count from {@code Content-Range}, when the server sent one
 */
public record PostgrestResponse(int status, JsonNode body, OptionalLong count) {
  public PostgrestResponse {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(count, "count");
  }

  /**
   * The body as rows: the elements of an array body, the object of a single-object body, none for an empty body.
   * Elements that are not objects (an RPC returning {@code setof int}) are skipped; read {@link #body()} for those.
   */
  public List<ObjectNode> rows() {
    List<ObjectNode> rows = new ArrayList<>();
    if (body.isObject()) {
      rows.add((ObjectNode) body);
    } else if (body.isArray()) {
      body.forEach(e -> {
        if (e.isObject()) {
          rows.add((ObjectNode) e);
        }
      });
    }
    return rows;
  }
}
