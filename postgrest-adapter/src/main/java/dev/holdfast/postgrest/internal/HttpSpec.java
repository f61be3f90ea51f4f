package dev.holdfast.postgrest.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgREST request before it meets the network: method, path segments under the base URL, decoded query
 * parameters, extra headers, a JSON body, and the timeout for the whole call. Immutable.
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
  public HttpSpec {
    Objects.requireNonNull(method, "method");
    path = List.copyOf(path);
    params = List.copyOf(params);
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** {@code GET /tasks}: for messages and logs, without query or values. */
  public String describe() {
    return method + " /" + String.join("/", path);
  }
}
