package dev.holdfast.postgrest.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgREST request before it meets the network: method, path segments under the base URL, decoded query
 * parameters, extra headers, a JSON body, and the timeout for the whole call. Immutable by convention.
 *
 * @param method GET, HEAD, POST, PATCH, PUT or DELETE
 * @param path path segments, such as {@code [tasks]} or {@code [rpc, my_function]}; each is percent-encoded
 * @param params query parameters in order
 * @param headers extra headers (Prefer, Accept, Range, Accept-Profile ...)
 * @param body the JSON body, or null
 * @param timeout the call timeout, or null for the client's default
 */
public record HttpSpec(String method, List<String> path, List<QueryParam> params, Map<String, String> headers,
    String body, Duration timeout) {
  /** Takes the lists and map as they are, without copies (built per request on a hot path): do not modify them. */
  public HttpSpec {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(headers, "headers");
  }

  /** {@code GET /tasks}: for messages and logs, without query or values. */
  public String describe() {
    return method + " /" + String.join("/", path);
  }
}
