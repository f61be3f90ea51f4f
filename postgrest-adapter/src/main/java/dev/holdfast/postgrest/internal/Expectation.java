package dev.holdfast.postgrest.internal;

import java.util.List;

/**
 * What a request expects of its 2xx body, which decides how a body that cannot be used is reported.
 *
 * @param method the HTTP method, for messages
 * @param path the path segments, for messages
 * @param tableRead a GET of a table or view, which PostgREST always answers with a JSON array or object: an
 *     empty body or {@code null} is then a failure, not "no rows"
 * @param text whether the body is text ({@code text/csv}, a text plan) rather than JSON
 * @param write whether the request is a non-idempotent write, whose outcome an unusable answer leaves unknown
 */
public record Expectation(String method, List<String> path, boolean tableRead, boolean text, boolean write) {
  /** The request for messages, such as {@code GET /tasks}: built only when a message needs it. */
  public String what() {
    return method + " /" + String.join("/", path);
  }
}
