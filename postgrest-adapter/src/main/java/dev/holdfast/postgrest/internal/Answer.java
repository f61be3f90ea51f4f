package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;
import okhttp3.Headers;

/**
 * A 2xx response, read: the JSON body (a {@code MissingNode} when there was none, or for a text body), the text
 * of a text body ({@code text/csv}, a text query plan), and the count from {@code Content-Range}. Immutable (the
 * JSON is not copied; do not modify it).
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param json the parsed JSON body, or a {@code MissingNode}
 * @param text the body of a text response, or null for JSON
 * @param count the total from {@code Content-Range}, when the server sent one
 */
public record Answer(int status, Headers headers, JsonNode json, String text, OptionalLong count) {}
