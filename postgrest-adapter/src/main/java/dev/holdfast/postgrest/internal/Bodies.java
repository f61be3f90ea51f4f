package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.spi.TableMapping;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.ResponseBody;

/**
 * Reads a 2xx body into an {@link Answer}: JSON is parsed from the bytes in one pass (no intermediate String),
 * text bodies are decoded. A body that cannot be used is a holdfast exception, chosen by what it says about the
 * request: for a non-idempotent write, {@link UnknownOutcomeException} (the status says it ran, the rows are
 * lost); otherwise an HTML or other non-JSON page is a {@link ConfigurationException} (the base URL points at
 * something other than PostgREST), JSON cut off or garbled is a {@link TransientException} after sending (a read
 * may be retried), duplicate keys are an {@link InvalidRequestException} (the select list names two columns
 * alike), and JSON beyond the reader's limits is a {@link HoldfastException}. Thread-safe (stateless).
 */
public final class Bodies {
  private static final int EXCERPT_BYTES = 4096;

  private Bodies() {}

  /**
   * @param reader the JSON reader, configured to fail on duplicate keys and trailing tokens
   * @throws IOException if reading the body failed (the caller classifies it as a transport failure)
   */
  public static Answer read(Expectation e, ObjectReader reader, int status, Headers headers, ResponseBody body)
      throws IOException {
    byte[] bytes = body.bytes();
    OptionalLong count = count(headers.get("Content-Range"));
    if (e.text()) {
      return new Answer(status, headers, MissingNode.getInstance(), new String(bytes, charset(body)), count);
    }
    if (isBlank(bytes)) {
      if (e.tableRead()) {
        throw unusable(e, status, body, bytes, "is empty, which PostgREST never answers to a read", null);
      }
      return new Answer(status, headers, MissingNode.getInstance(), null, count);
    }
    JsonNode json;
    try {
      json = reader.readTree(bytes);
    } catch (JsonProcessingException failure) {
      throw unusable(e, status, body, bytes, null, failure);
    }
    if (json == null || json.isMissingNode() || (e.tableRead() && json.isNull())) {
      throw unusable(e, status, body, bytes, "is " + (json == null || json.isMissingNode() ? "empty" : "null")
          + ", which PostgREST never answers to a read", null);
    }
    return new Answer(status, headers, json, null, count);
  }

  /**
   * Reads a 2xx JSON body of rows straight into {@code mapping}'s records, with no tree in between: the elements
   * of an array body that are objects, or the one object of a single-object body. Every failure is classified as
   * {@link #read} classifies it (cut off, garbled, not JSON, duplicate keys, beyond limits) and a row that does not
   * map is the mapping's {@link dev.holdfast.SchemaMismatchException}.
   *
   * @param reader the client's JSON reader, whose parser limits apply
   * @throws IOException if reading the body failed (the caller classifies it as a transport failure)
   */
  public static <T> List<T> readRecords(Expectation e, ObjectReader reader, TableMapping<T> mapping, int status,
      ResponseBody body) throws IOException {
    byte[] bytes = body.bytes();
    if (isBlank(bytes)) {
      if (e.tableRead()) {
        throw unusable(e, status, body, bytes, "is empty, which PostgREST never answers to a read", null);
      }
      return List.of();
    }
    ObjectReader records = mapping.reader();
    try (JsonParser p = reader.createParser(bytes)) {
      // Duplicate keys would let one column's value hide another's, as FAIL_ON_READING_DUP_TREE_KEY says for trees.
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken first = p.nextToken();
      List<T> out;
      if (first == JsonToken.START_ARRAY) {
        out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (t == JsonToken.START_OBJECT) {
            out.add(records.readValue(p));
          } else {
            // Not a row (an RPC's setof int): skipped, as PostgrestResponse.rows() skips it.
            p.skipChildren();
          }
        }
      } else if (first == JsonToken.START_OBJECT) {
        out = List.of(records.readValue(p));
      } else if (first == JsonToken.VALUE_NULL && e.tableRead()) {
        throw unusable(e, status, body, bytes, "is null, which PostgREST never answers to a read", null);
      } else {
        out = List.of();
        p.skipChildren();
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw unusable(e, status, body, bytes, null, new JsonParseException(p, "Trailing token (of type "
            + trailing + ") found after the value"));
      }
      return out;
    } catch (JsonProcessingException failure) {
      // Jackson wraps what the parser reports inside a row (the body cut off there) as a mapping failure.
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof StreamReadException || t instanceof StreamConstraintsException) {
          throw unusable(e, status, body, bytes, null, (JsonProcessingException) t);
        }
      }
      throw mapping.mismatch(failure.getOriginalMessage(), failure);
    }
  }

  private static HoldfastException unusable(Expectation e, int status, ResponseBody body, byte[] bytes,
      String problem, JsonProcessingException failure) {
    String head = e.what() + " answered HTTP " + status + " but its body ";
    ErrorDetails details = ErrorDetails.of(ErrorMapper.BACKEND).withHttpStatus(status);
    boolean html = startsWith(bytes, '<');
    boolean jsonType = isJson(body.contentType());
    String excerpt = ErrorMapper.excerpt(new String(bytes, 0, Math.min(bytes.length, EXCERPT_BYTES),
        charset(body)));
    String what = problem != null ? problem
        : isCutOff(failure) ? "was cut off (" + failure.getOriginalMessage() + ")"
        : failure instanceof StreamConstraintsException ? "exceeds the JSON reader's limits ("
            + failure.getOriginalMessage() + ")"
        : isDuplicate(failure) ? "holds an object with a duplicate key (" + failure.getOriginalMessage() + ")"
        : html || !jsonType ? "is not JSON" + excerpt
        : "is not valid JSON (" + failure.getOriginalMessage() + ")";
    if (e.write()) {
      return new UnknownOutcomeException(head + what + "; the write may or may not have been applied",
          details.withHint("Read the rows back to find out" + (html || !jsonType
              ? "; and check that the base URL points at PostgREST (Supabase: https://<ref>.supabase.co/rest/v1)."
              : ".")), failure);
    }
    if (failure instanceof StreamConstraintsException) {
      return new HoldfastException(head + what, details.withHint("Select fewer or smaller columns, or pass an "
          + "objectMapper whose JsonFactory has wider StreamReadConstraints."), failure);
    }
    if (isDuplicate(failure)) {
      return new InvalidRequestException(head + what, details.withHint("Two selected columns have the same "
          + "name: give one an alias (alias:column)."), failure);
    }
    if (failure != null && (html || !jsonType) && !isCutOff(failure)) {
      return new ConfigurationException(head + what, details.withHint("Check that the base URL points at "
          + "PostgREST, path included (Supabase: https://<ref>.supabase.co/rest/v1)."), failure);
    }
    // Cut off or garbled on the way, or emptied by a proxy: the request ran, and a read may be repeated.
    return new TransientException(head + what, details, failure, true, null);
  }

  /** The body ended inside a value: the parser's EOF, or the tree reader's "Unexpected end-of-input". */
  private static boolean isCutOff(JsonProcessingException failure) {
    return failure instanceof JsonEOFException || (failure != null && failure.getOriginalMessage() != null
        && failure.getOriginalMessage().startsWith("Unexpected end-of-input"));
  }

  private static boolean isDuplicate(JsonProcessingException failure) {
    return failure != null && failure.getOriginalMessage() != null
        && failure.getOriginalMessage().startsWith("Duplicate field");
  }

  private static OptionalLong count(String contentRange) {
    ContentRange range = ContentRange.parse(contentRange);
    return range == null ? OptionalLong.empty() : range.count();
  }

  private static boolean isJson(MediaType type) {
    return type != null && (type.subtype().equals("json") || type.subtype().endsWith("+json"));
  }

  private static Charset charset(ResponseBody body) {
    MediaType type = body.contentType();
    return type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] bytes, char c) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == c;
      }
    }
    return false;
  }
}
