package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON as PostgreSQL's {@code json}/{@code jsonb} input reads it: numbers exact (never through {@code double}, so
 * {@code 1E+400} stays {@code 1} followed by 400 zeros and a long fraction keeps every digit), {@code jsonb}
 * objects with keys ordered as jsonb orders them (shorter first, then bytewise) and numbers checked against
 * {@code numeric}'s limits. Syntax errors are 22P02 with a detail in PostgreSQL's words for the common cases.
 * Stateless and thread-safe.
 */
public final class PgJsonb {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);
  /** Exact numbers, and no limits below PostgreSQL's own (which {@link #of} checks). */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .nodeFactory(NODES)
      .build();

  /** {@link #MAPPER} for reading values one at a time out of a larger document. */
  public static final ObjectMapper STREAMING = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(NODES)
      .build();

  static {
    STREAMING.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNumberLength(200_000).maxNestingDepth(6400).maxStringLength(Integer.MAX_VALUE).build());
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNumberLength(200_000).maxNestingDepth(6400).maxStringLength(Integer.MAX_VALUE).build());
  }

  private PgJsonb() {}

  /**
   * Parses JSON text exactly.
   *
   * @throws PgError {@code 22P02 invalid input syntax for type json}
   */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new PgError("22P02", "invalid input syntax for type json", "The input string ended unexpectedly.",
            null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw syntax(text, e);
    }
  }

  private static PgError syntax(String text, JsonProcessingException e) {
    long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
    String msg = String.valueOf(e.getOriginalMessage());
    if (msg.contains("end-of-input") || msg.contains("Unexpected end")) {
      return new PgError("22P02", "invalid input syntax for type json", "The input string ended unexpectedly.",
          null);
    }
    int start = at < 0 || at > text.length() ? 0 : (int) at;
    while (start > 0 && !isDelimiter(text.charAt(start - 1))) {
      start--;
    }
    int end = start;
    while (end < text.length() && !isDelimiter(text.charAt(end))) {
      end++;
    }
    String token = end > start ? text.substring(start, end) : start < text.length()
        ? text.substring(start, start + 1) : "";
    return new PgError("22P02", "invalid input syntax for type json", "Token \"" + token + "\" is invalid.", null);
  }

  private static boolean isDelimiter(char c) {
    return Character.isWhitespace(c) || ",:[]{}".indexOf(c) >= 0;
  }

  /**
   * {@code value} as a stored {@code jsonb}: keys ordered, numbers as {@code numeric}.
   *
   * @throws PgError {@code 22003} for a number beyond {@code numeric}'s range
   */
  public static PgNodes.Jsonb of(JsonNode value) {
    return new PgNodes.Jsonb(normalize(value));
  }

  static JsonNode normalize(JsonNode v) {
    if (v instanceof PgNodes.Jsonb j) {
      return j.tree();
    }
    if (v instanceof PgNodes.JsonText j) {
      return normalize(j.tree());
    }
    if (v.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
        fields.add(it.next());
      }
      fields.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
      ObjectNode out = NODES.objectNode();
      fields.forEach(e -> out.set(e.getKey(), normalize(e.getValue())));
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = NODES.arrayNode();
      v.forEach(e -> out.add(normalize(e)));
      return out;
    }
    if (v.isNumber()) {
      return PgType.of("numeric").fromText(v instanceof PgNodes.Numeric n ? n.asText() : v.isFloatingPointNumber()
          && !v.isBigDecimal() ? PgJson.write(v) : v.asText(), null);
    }
    return v;
  }

  /** jsonb's key order: shorter UTF-8 first, then bytewise. */
  static int compareKeys(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
  }

  /** Whether {@code JsonParseException}s come from here, for callers that want the raw exception. */
  static boolean isSyntax(Throwable t) {
    return t instanceof JsonParseException;
  }
}
