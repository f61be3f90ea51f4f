package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJson;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * An error MockPostgrest answers in PostgREST 13's shape: a status, aeson's compact {@code
 * {"code":...,"details":...,"hint":...,"message":...}} (keys sorted, as aeson's KeyMap writes them), {@code
 * Content-Type: application/json; charset=utf-8}, {@code Proxy-Status: PostgREST; error=<code>} and any headers
 * the error adds ({@code WWW-Authenticate}). Thrown inside the handler, turned into a response at the top.
 */
final class MockPostgrestError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  /** The details as a JSON string value, or raw JSON (an array for PGRST201) when {@link #rawDetails}. */
  final String details;
  final String hint;
  final boolean rawDetails;
  final transient Map<String, String> headers = new LinkedHashMap<>();

  MockPostgrestError(int status, String code, String message, String details, String hint) {
    this(status, code, message, details, hint, false);
  }

  MockPostgrestError(int status, String code, String message, String details, String hint, boolean rawDetails) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
    this.rawDetails = rawDetails;
  }

  MockPostgrestError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** {@code 400 PGRST100}: the query string could not be parsed (message and details from the grammar). */
  static MockPostgrestError parse(String message, String details) {
    return new MockPostgrestError(400, "PGRST100", message, details, null);
  }

  /** {@code 400 PGRST127}: a feature MockPostgrest does not emulate (PostgREST's "Feature not implemented"). */
  static MockPostgrestError unsupported(String what) {
    return new MockPostgrestError(400, "PGRST127", "Feature not implemented", "MockPostgrest does not emulate "
        + what, null);
  }

  /** A PostgreSQL error as PostgREST forwards it, with its status ({@code authenticated}: not the anon role). */
  static MockPostgrestError of(PgError e, boolean authenticated) {
    if (e.sqlState().equals("PGRST")) {
      return MockPostgrestRaise.pgrst(e);
    }
    MockPostgrestError out = new MockPostgrestError(statusOf(e.sqlState(), e.getMessage(), authenticated),
        e.sqlState(), e.getMessage(), e.detail(), e.hint());
    if (out.status == 401) {
      out.header("WWW-Authenticate", "Bearer");
    }
    return out;
  }

  /** The error as PostgREST answers it. */
  MockResponse toResponse() {
    String body = body();
    MockResponse.Builder b = new MockResponse.Builder().code(status)
        .setHeader("Content-Type", "application/json; charset=utf-8")
        .setHeader("Proxy-Status", "PostgREST; error=" + code);
    headers.forEach(b::setHeader);
    return b.body(body).build();
  }

  /** The JSON body, byte for byte. */
  String body() {
    Map<String, String> head = new LinkedHashMap<>();
    head.put("code", code);
    if (!rawDetails) {
      head.put("details", details);
    }
    head.put("hint", hint);
    head.put("message", getMessage());
    String json = PgJson.aeson(head);
    if (!rawDetails) {
      return json;
    }
    int afterCode = json.indexOf(",\"hint\"");
    return json.substring(0, afterCode) + ",\"details\":" + details + json.substring(afterCode);
  }

  /** PostgREST 13's {@code pgErrorStatus}: the HTTP status of a SQLSTATE. */
  static int statusOf(String code, String message, boolean authenticated) {
    if (code == null || code.length() < 2) {
      return 500;
    }
    String m = message == null ? "" : message;
    switch (code) {
      case "23503", "23505" -> {
        return 409;
      }
      case "25006" -> {
        return 405;
      }
      case "21000" -> {
        return m.endsWith("requires a WHERE clause") ? 400 : 500;
      }
      case "22023" -> {
        return m.startsWith("role") && m.endsWith("does not exist") ? 401 : 400;
      }
      case "53400" -> {
        return 500;
      }
      case "57P01" -> {
        return 503;
      }
      case "P0001" -> {
        return 400;
      }
      case "42883" -> {
        return m.startsWith("function xmlagg(") ? 406 : 404;
      }
      case "42P01" -> {
        return 404;
      }
      case "42P17" -> {
        return 500;
      }
      case "42501" -> {
        return authenticated ? 403 : 401;
      }
      default -> { }
    }
    if (code.startsWith("PT")) {
      try {
        int s = Integer.parseInt(code.substring(2));
        return s >= 100 && s <= 999 ? s : 500;
      } catch (NumberFormatException e) {
        return 500;
      }
    }
    return switch (code.substring(0, 2)) {
      case "08", "53" -> 503;
      case "09", "25", "2D", "38", "39", "3B", "40", "54", "55", "57", "58", "F0", "HV", "P0", "XX" -> 500;
      case "0L", "0P", "28" -> 403;
      default -> 400;
    };
  }
}
