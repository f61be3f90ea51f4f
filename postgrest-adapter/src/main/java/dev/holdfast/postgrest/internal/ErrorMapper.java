package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ConflictException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.TransientException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a PostgREST error response onto holdfast's taxonomy. The ladder reads PostgREST's own codes first, then
 * forwarded SQLSTATEs, then falls back on the HTTP status, because proxies in front of PostgREST (Cloudflare,
 * Kong, a load balancer) answer with bare statuses and HTML. Thread-safe (stateless).
 */
public final class ErrorMapper {
  static final String BACKEND = "postgrest";
  static final String RELOAD_HINT = "If the table, column or function exists, reload PostgREST's schema cache: "
      + "NOTIFY pgrst, 'reload schema'";
  private static final Pattern CONSTRAINT = Pattern.compile("constraint \"([^\"]+)\"");
  private static final Pattern TITLE = Pattern.compile("(?is)<title>(.*?)</title>");

  private ErrorMapper() {}

  /**
   * The exception for an error response.
   *
   * @param response the response's status, body and headers
   * @param what the request, such as {@code GET /tasks}, for the message
   */
  public static HoldfastException map(ErrorResponse response, String what) {
    PostgrestErrorBody body = PostgrestErrorBody.parse(response.body());
    String code = body != null && body.code() != null ? body.code() : response.proxyStatusError();
    int status = response.status();
    if (body == null && code != null && code.startsWith("PGRST")) {
      // HEAD answers carry no body: Proxy-Status is then the only place PostgREST names the error.
      body = new PostgrestErrorBody(code, "HTTP " + status + excerpt(response.body()).replaceFirst("^:", ""),
          null, null);
    }
    if (body == null) {
      return byStatus(response, code, what + " failed with HTTP " + status + excerpt(response.body()), null);
    }
    String message = what + " failed: " + body.message() + (body.details() == null ? "" : " (" + body.details()
        + ")");
    ErrorDetails details = ErrorDetails.of(BACKEND).withCode(code).withHttpStatus(status).withHint(body.hint());
    if (code != null && code.startsWith("PGRST")) {
      return pgrst(code, body, response, message, details);
    }
    if (code != null && code.length() == 5) {
      HoldfastException mapped = sqlState(code, body, response, message, details);
      if (mapped != null) {
        return mapped;
      }
    }
    return byStatus(response, code, message, body.hint());
  }

  private static HoldfastException pgrst(
      String code, PostgrestErrorBody body, ErrorResponse response, String message, ErrorDetails details) {
    // PostgREST could not reach or could not borrow a database connection: the request never ran.
    if (code.equals("PGRST000") || code.equals("PGRST001") || code.equals("PGRST002")
        || code.equals("PGRST003")) {
      return new TransientException(message, details.withHint(orElse(body.hint(),
          "PostgREST cannot reach PostgreSQL or its pool is exhausted; the request did not run.")), null, false,
          response.retryAfter());
    }
    if (code.equals("PGRST116")) {
      boolean none = body.details() != null && body.details().contains(" 0 rows");
      return none ? new NotFoundException(message, details.withHint("No row matched a single-object read."), null)
          : new InvalidRequestException(message,
              details.withHint("A single-object read matched several rows; filter on a unique key."), null);
    }
    if (code.equals("PGRST125")) {
      return new ConfigurationException(message, details.withHint(orElse(body.hint(),
          "PostgREST does not serve this path: check the base URL's path (Supabase: https://<ref>.supabase.co"
              + "/rest/v1; self-hosted PostgREST: usually the root, http://host:3000).")), null);
    }
    if (code.equals("PGRST106")) {
      return new ConfigurationException(message, details.withHint(orElse(body.hint(),
          "The schema is not exposed by PostgREST: add it to db-schemas (Supabase: Exposed schemas).")), null);
    }
    if (code.startsWith("PGRST1")) {
      return new InvalidRequestException(message, details, null);
    }
    if (code.startsWith("PGRST2")) {
      String hint = body.hint() == null ? RELOAD_HINT : body.hint() + " " + RELOAD_HINT;
      return new SchemaMismatchException(message, details.withHint(hint), null);
    }
    if (code.startsWith("PGRST3")) {
      return new ConfigurationException(message, details.withHint(orElse(body.hint(),
          "Check the API key and the JWT (expiry, signature, role).")), null);
    }
    return byStatus(response, code, message, body.hint());
  }

  private static HoldfastException sqlState(
      String code, PostgrestErrorBody body, ErrorResponse response, String message, ErrorDetails details) {
    if (code.startsWith("23")) {
      return new ConflictException(message, details, constraint(body.message()), null);
    }
    // A serialization failure or deadlock aborted PostgREST's transaction: PostgreSQL rolled the request back,
    // so even a write is known not to have been applied and may be sent again.
    if (code.equals("40001") || code.equals("40P01")) {
      return new TransientException(message, details.withHint(orElse(body.hint(),
          "PostgreSQL rolled the transaction back; nothing was applied, so it is safe to repeat.")), null, false,
          response.retryAfter());
    }
    // A statement timeout (or a cancel) aborts the transaction too: nothing was applied.
    if (code.equals("57014")) {
      return new TransientException(message, details.withHint(orElse(body.hint(),
          "The statement timed out (statement_timeout) and was rolled back; narrow the query or add an index.")),
          null, false, response.retryAfter());
    }
    // Other rollbacks (40003: completion unknown), lost connections, exhausted resources and shutdowns pass, but
    // may have left a write applied.
    if (code.startsWith("40") || code.startsWith("08") || (code.startsWith("53") && !code.equals("53400"))
        || code.equals("57P01") || code.equals("57P02") || code.equals("57P03") || code.equals("25006")) {
      return new TransientException(message, details, null, true, response.retryAfter());
    }
    if (code.equals("42P01") || code.equals("42703") || code.equals("42883") || code.equals("3F000")) {
      return new SchemaMismatchException(message, details.withHint(orElse(body.hint(), RELOAD_HINT)), null);
    }
    if (code.equals("42501") || code.startsWith("28")) {
      return new ConfigurationException(message, details.withHint(orElse(body.hint(),
          "Permission denied: check the role's grants and row-level security policies.")), null);
    }
    if (code.startsWith("22") || code.startsWith("42") || code.equals("P0001")) {
      return new InvalidRequestException(message, details, null);
    }
    return null;
  }

  private static HoldfastException byStatus(ErrorResponse response, String code, String message, String hint) {
    int status = response.status();
    ErrorDetails details = ErrorDetails.of(BACKEND).withCode(code).withHttpStatus(status).withHint(hint);
    // Cloudflare 521/522/523: the edge could not open a connection to the origin, so the request never ran.
    if (status == 521 || status == 522 || status == 523) {
      return new TransientException(message, details.withHint("The proxy could not reach PostgREST."), null,
          false, response.retryAfter());
    }
    if (status == 408 || status == 429 || status == 502 || status == 503 || status == 504 || status == 520
        || status == 524 || status == 530 || (status == 500 && code == null)) {
      return new TransientException(message, details, null, true, response.retryAfter());
    }
    if (status == 401 || status == 403) {
      return new ConfigurationException(message, details.withHint(orElse(hint,
          "Check the API key and the JWT.")), null);
    }
    if (status == 404) {
      return new SchemaMismatchException(message, details.withHint(orElse(hint,
          "Check the base URL (Supabase: https://<ref>.supabase.co/rest/v1) and the table name.")), null);
    }
    if (status == 409) {
      return new ConflictException(message, details, null, null);
    }
    if (status >= 400 && status < 500) {
      return new InvalidRequestException(message, details, null);
    }
    return new HoldfastException(message, details, null);
  }

  /** {@code : <title or first line>} of a non-JSON body, short and on one line. */
  static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    if (body.length() > 4096) {
      body = body.substring(0, 4096);
    }
    Matcher title = TITLE.matcher(body);
    String text = title.find() ? title.group(1) : body.replaceAll("(?s)<[^>]*>", " ");
    text = text.replaceAll("\\s+", " ").trim();
    if (text.length() > 160) {
      text = text.substring(0, 160) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String constraint(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = CONSTRAINT.matcher(message);
    return m.find() ? m.group(1) : null;
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * What the mapper needs from an error response.
   *
   * @param status the HTTP status
   * @param body the body as text, possibly empty
   * @param proxyStatusError the {@code error} parameter of {@code Proxy-Status}, or null
   * @param retryAfter the parsed {@code Retry-After}, or null
   */
  public record ErrorResponse(int status, String body, String proxyStatusError, Duration retryAfter) {
    /** The {@code error=} parameter of a {@code Proxy-Status} header such as {@code PostgREST; error=PGRST116}. */
    public static String proxyStatusError(String header) {
      if (header == null) {
        return null;
      }
      Matcher m = Pattern.compile("(?i)error=\"?([A-Za-z0-9_.-]+)").matcher(header);
      return m.find() ? m.group(1) : null;
    }
  }
}
