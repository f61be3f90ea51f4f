package dev.holdfast.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request {@link MockPostgrest} received, as its journal records it: what was sent and which scripted fault,
 * if any, answered it. Immutable and thread-safe.
 *
 * @param sequence the request's position in the journal, from 1
 * @param method the HTTP method
 * @param path the path under the base URL, such as {@code /tasks} or {@code /rpc/add}
 * @param query the raw query string, empty when there is none
 * @param headers the request headers, names in lower case, values in the order sent
 * @param body the request body as UTF-8 text, empty when there is none
 * @param fault the name of the scripted fault that answered (see {@link MockPostgrestFault#name()}), or null
 *     when the request was served normally
 */
public record MockPostgrestCall(int sequence, String method, String path, String query,
    Map<String, List<String>> headers, String body, String fault) {
  /** Copies the headers; the fault may be null. */
  public MockPostgrestCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** The first value of a header (any case), if sent. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether a scripted fault answered this request. */
  public boolean faulted() {
    return fault != null;
  }

  @Override
  public String toString() {
    // Credentials stay out of test reports: the journal often ends up in assertion messages.
    return sequence + " " + method + " " + path + (query.isEmpty() ? "" : "?" + query)
        + (fault == null ? "" : " -> " + fault);
  }
}
