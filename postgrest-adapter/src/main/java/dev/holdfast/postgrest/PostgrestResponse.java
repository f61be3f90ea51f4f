package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.SchemaMismatchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.Headers;

/**
 * What PostgREST answered: the status, the body (JSON, or text for {@link PostgrestRequest#csv()} and text query
 * plans), the count from {@code Content-Range} when one was asked for, and the headers. Immutable once built (the
 * JSON body is not copied; do not modify it). Thread-safe.
 *
 * <pre>{@code
 * List<Task> open = db.from("tasks").select("id,title,done").eq("done", false).execute().as(Task.class);
 * }</pre>
 */
public final class PostgrestResponse {
  private final int status;
  private final JsonNode body;
  private final String text;
  private final OptionalLong count;
  private final Headers headers;
  private final ObjectMapper mapper;

  PostgrestResponse(int status, JsonNode body, String text, OptionalLong count, Headers headers,
      ObjectMapper mapper) {
    this.status = status;
    this.body = Objects.requireNonNull(body, "body");
    this.text = text;
    this.count = Objects.requireNonNull(count, "count");
    this.headers = headers;
    this.mapper = mapper;
  }

  /** The HTTP status (200, 201, 204, 206); 0 when no request was needed because the filter matches no row. */
  public int status() {
    return status;
  }

  /** The JSON body; a {@code MissingNode} when there was none ({@code return=minimal}, HEAD) or it was text. */
  public JsonNode body() {
    return body;
  }

  /**
   * The body as text: as sent for a text answer ({@link PostgrestRequest#csv()}, a text query plan), as compact
   * JSON for a JSON answer, empty when there was no body.
   */
  public String text() {
    if (text != null) {
      return text;
    }
    return body.isMissingNode() ? "" : body.toString();
  }

  /** The total count from {@code Content-Range}, when the server sent one. */
  public OptionalLong count() {
    return count;
  }

  /** The response header {@code name} (such as {@code Preference-Applied} or {@code Location}), if present. */
  public Optional<String> header(String name) {
    Objects.requireNonNull(name, "name");
    return headers == null ? Optional.empty() : Optional.ofNullable(headers.get(name));
  }

  /**
   * The body as rows: the elements of an array body, the object of a single-object body, none for an empty body.
   * Elements that are not objects (an RPC returning {@code setof int}) are skipped; read {@link #body()} for those.
   */
  public List<ObjectNode> rows() {
    if (body.isObject()) {
      return List.of((ObjectNode) body);
    }
    List<ObjectNode> rows = new ArrayList<>(body.size());
    if (body.isArray()) {
      for (JsonNode e : body) {
        if (e instanceof ObjectNode row) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * The body as values of {@code type}: each element of an array body, the one object of a single-object body,
   * none for an empty body. JSON keys map to properties by the client's {@code objectMapper} (rename columns in
   * {@code select}, such as {@code createdAt:created_at}, or configure a naming strategy); keys without a
   * property are ignored.
   *
   * @throws SchemaMismatchException if an element does not map to {@code type}
   */
  public <T> List<T> as(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (body.isMissingNode() || body.isNull()) {
      return List.of();
    }
    JsonNode array = body.isArray() ? body : mapper.createArrayNode().add(body);
    JavaType listType = mapper.getTypeFactory().constructCollectionType(List.class, type);
    try {
      return mapper.readerFor(listType)
          .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(mapper.treeAsTokens(array));
    } catch (IOException | IllegalArgumentException e) {
      throw mismatch(type, e);
    }
  }

  static SchemaMismatchException mismatch(Class<?> type, Exception e) {
    String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
        : e.getMessage();
    return new SchemaMismatchException("The body does not map to " + type.getSimpleName() + ": " + reason,
        ErrorDetails.of("postgrest").withHint("Match the properties to the selected columns (rename in select, "
            + "alias:column) and their types."), e);
  }

  static PostgrestResponse none(int status, JsonNode body, OptionalLong count, ObjectMapper mapper) {
    return new PostgrestResponse(status, body, null, count, null, mapper);
  }

  static PostgrestResponse missing(ObjectMapper mapper) {
    return none(0, MissingNode.getInstance(), OptionalLong.empty(), mapper);
  }

  @Override
  public String toString() {
    return "PostgrestResponse{status=" + status + ", count=" + count + "}";
  }
}
