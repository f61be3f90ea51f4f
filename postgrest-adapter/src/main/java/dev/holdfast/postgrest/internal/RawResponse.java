package dev.holdfast.postgrest.internal;

import okhttp3.Headers;

/**
 * A successful (2xx) response, its body read in full. Immutable.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body as text, empty for HEAD and {@code return=minimal}
 */
public record RawResponse(int status, Headers headers, String body) {
  /** The parsed {@code Content-Range}, or null. */
  public ContentRange contentRange() {
    return ContentRange.parse(headers.get("Content-Range"));
  }
}
