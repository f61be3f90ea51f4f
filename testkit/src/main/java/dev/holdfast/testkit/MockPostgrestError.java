package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.MockResponse;

/**
 * An error MockPostgrest answers in PostgREST's shape: a status, a {@code {code,message,details,hint}} body, and
 * the {@code Proxy-Status} header PostgREST 13 sends. Thrown inside the handler, turned into a response at the top.
 */
final class MockPostgrestError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  final int status;
  final String code;
  final String details;
  final String hint;

  MockPostgrestError(int status, String code, String message, String details, String hint) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
  }

  /** {@code 400 PGRST100}: the query string could not be parsed. */
  static MockPostgrestError parse(String what, String details) {
    return new MockPostgrestError(400, "PGRST100", "\"failed to parse " + what + "\"", details, null);
  }

  /** {@code 404 PGRST205}: the table is not in the schema cache. */
  static MockPostgrestError unknownTable(String schema, String table) {
    return new MockPostgrestError(404, "PGRST205", "Could not find the table '" + schema + "." + table
        + "' in the schema cache", null, null);
  }

  /** The error as PostgREST answers it. */
  MockResponse toResponse() {
    ObjectNode body = JSON.createObjectNode().put("code", code).put("details", details).put("hint", hint)
        .put("message", getMessage());
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json; charset=utf-8")
        .setHeader("Proxy-Status", "PostgREST; error=" + code).body(body.toString()).build();
  }

  /** The HTTP status PostgREST gives a forwarded SQLSTATE (its documented table, abridged). */
  static int statusOf(String sqlState) {
    if (sqlState == null) {
      return 500;
    }
    if (sqlState.equals("23503") || sqlState.equals("23505")) {
      return 409;
    }
    if (sqlState.equals("42P01") || sqlState.equals("42883")) {
      return 404;
    }
    if (sqlState.equals("42501")) {
      return 403;
    }
    if (sqlState.startsWith("08") || sqlState.startsWith("53")) {
      return 503;
    }
    if (sqlState.startsWith("23") || sqlState.startsWith("22") || sqlState.startsWith("42")) {
      return 400;
    }
    return 500;
  }
}
