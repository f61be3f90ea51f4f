package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * An error raised from a {@link MockPostgrestFunction} body, as PL/pgSQL's {@code RAISE} raises it; MockPostgrest
 * answers it as PostgREST does. A SQLSTATE maps to PostgREST's status ({@code P0001}, the default of a plain
 * {@code RAISE EXCEPTION}, is 400; {@code PT404} is 404; {@code 42501} is 401 for anon and 403 otherwise), and
 * {@link #response} is {@code RAISE SQLSTATE 'PGRST' USING MESSAGE = '{...}', DETAIL = '{...}'}: full control of
 * status, headers and body. Immutable.
 *
 * <pre>{@code
 * throw MockPostgrestRaise.of("P0001", "Not enough credit").detail("balance is 3").hint("Top up first");
 * throw MockPostgrestRaise.of("PT402", "Payment required");
 * }</pre>
 */
public final class MockPostgrestRaise extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;
  private final String detail;
  private final String hint;

  private MockPostgrestRaise(String sqlState, String message, String detail, String hint) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
    this.detail = detail;
    this.hint = hint;
  }

  /** {@code RAISE EXCEPTION '<message>' USING ERRCODE = '<sqlState>'}. */
  public static MockPostgrestRaise of(String sqlState, String message) {
    if (sqlState.length() != 5) {
      throw new IllegalArgumentException("A SQLSTATE has five characters: " + sqlState);
    }
    return new MockPostgrestRaise(sqlState, message, null, null);
  }

  /**
   * {@code RAISE SQLSTATE 'PGRST' USING MESSAGE = messageJson, DETAIL = detailJson}: {@code messageJson} is
   * {@code {"code":..,"message":..,"details":..,"hint":..}}, {@code detailJson} is {@code {"status":..,
   * "headers":{..}}}. Malformed JSON is answered as PostgREST answers it, with {@code 500 PGRST121}.
   */
  public static MockPostgrestRaise response(String messageJson, String detailJson) {
    return new MockPostgrestRaise("PGRST", messageJson, detailJson, null);
  }

  /** This error {@code USING DETAIL = detail}. */
  public MockPostgrestRaise detail(String detail) {
    return new MockPostgrestRaise(sqlState, getMessage(), detail, hint);
  }

  /** This error {@code USING HINT = hint}. */
  public MockPostgrestRaise hint(String hint) {
    return new MockPostgrestRaise(sqlState, getMessage(), detail, hint);
  }

  public String sqlState() {
    return sqlState;
  }

  PgError toPgError() {
    return new PgError(sqlState, getMessage(), detail, hint);
  }

  /** The response of a {@code RAISE SQLSTATE 'PGRST'}, or PostgREST's PGRST121 when its JSON is malformed. */
  static MockPostgrestError pgrst(PgError e) {
    JsonNode message = json(e.getMessage());
    if (message == null || !message.isObject() || !message.path("code").isTextual()
        || !message.path("message").isTextual()) {
      return parseError("Invalid JSON value for MESSAGE: '" + e.getMessage() + "'",
          "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', "
              + "'hint'.");
    }
    if (e.detail() == null) {
      return parseError("DETAIL is missing in the RAISE statement", detailHint());
    }
    JsonNode detail = json(e.detail());
    if (detail == null || !detail.isObject() || !detail.path("status").canConvertToInt()
        || !detail.path("headers").isObject()) {
      return parseError("Invalid JSON value for DETAIL: '" + e.detail() + "'", detailHint());
    }
    MockPostgrestError out = new MockPostgrestError(detail.get("status").asInt(), message.get("code").textValue(),
        message.get("message").textValue(), text(message.get("details")), text(message.get("hint")));
    for (Iterator<Map.Entry<String, JsonNode>> it = detail.get("headers").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      out.header(h.getKey(), h.getValue().asText());
    }
    return out;
  }

  private static String detailHint() {
    return "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.";
  }

  private static MockPostgrestError parseError(String details, String hint) {
    return new MockPostgrestError(500, "PGRST121", "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
        details, hint);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.isTextual() ? n.textValue() : n.toString();
  }

  private static JsonNode json(String text) {
    try {
      return PgJsonb.parse(text);
    } catch (PgError e) {
      return null;
    }
  }
}
