package dev.holdfast.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * One failure {@link MockPostgrest} can answer a request with, as the real path to PostgREST produces it: PostgREST's
 * own 503 and 504 errors, Cloudflare's HTML error pages, a connection reset before or during the response, a
 * response held back longer than a client's deadline, or one that trickles in. Script them with {@link MockPostgrestFaults}. Immutable and
 * thread-safe.
 *
 * <p>Whether the request reached the database first matters for writes: the status faults and
 * {@link #resetBeforeResponse()} answer without touching the data (the request never got through), unless made
 * with {@link #afterApplying()}; {@link #resetDuringBody()}, {@link #stall(Duration)} and
 * {@link #trickle(long, Duration)} always apply the request and lose or delay its real answer, so the client cannot know whether a write happened.
 */
public final class MockPostgrestFault {
  enum Kind { STATUS, RESET_BEFORE_RESPONSE, RESET_DURING_BODY, STALL, TRICKLE }

  private final String name;
  private final Kind kind;
  private final MockResponse response;
  private final Duration stall;
  private final boolean applies;
  private final long bytesPerPeriod;

  private MockPostgrestFault(String name, Kind kind, MockResponse response, Duration stall, boolean applies) {
    this(name, kind, response, stall, applies, 0);
  }

  private MockPostgrestFault(String name, Kind kind, MockResponse response, Duration stall, boolean applies,
      long bytesPerPeriod) {
    this.name = name;
    this.kind = kind;
    this.response = response;
    this.stall = stall;
    this.applies = applies;
    this.bytesPerPeriod = bytesPerPeriod;
  }

  /**
   * {@code 503 PGRST002} with {@code Retry-After}: PostgREST could not reach the database to load its schema
   * cache (the database restarting, a failover, the pool saturated) and asks the client to come back.
   *
   * @param retryAfter the {@code Retry-After} header, in whole seconds (rounded up)
   */
  public static MockPostgrestFault serviceUnavailable(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter < 0: " + retryAfter);
    }
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    MockResponse response = new MockPostgrestError(503, "PGRST002",
        "Could not query the database for the schema cache. Retrying.", null, null).toResponse().newBuilder()
        .setHeader("Retry-After", seconds).build();
    return new MockPostgrestFault("503 PGRST002", Kind.STATUS, response, null, false);
  }

  /** {@code 504 PGRST003}: PostgREST timed out waiting for a connection from its pool. */
  public static MockPostgrestFault gatewayTimeout() {
    MockResponse response = new MockPostgrestError(504, "PGRST003",
        "Timed out acquiring connection from connection pool.", null, null).toResponse();
    return new MockPostgrestFault("504 PGRST003", Kind.STATUS, response, null, false);
  }

  /**
   * Cloudflare's edge answering for the origin with its HTML error page: 520 (the origin returned an unknown or
   * empty response), 521 (refused), 522 (connection timed out), 523 (unreachable) or 524 (a timeout after the
   * connection), with {@code Server: cloudflare}, a {@code CF-RAY} id and an RFC 9209 {@code Proxy-Status}.
   *
   * @throws IllegalArgumentException for other statuses
   */
  public static MockPostgrestFault cloudflare(int status) {
    String[] info = switch (status) {
      case 520 -> new String[] {"Web server is returning an unknown error", "http_response_incomplete"};
      case 521 -> new String[] {"Web server is down", "connection_refused"};
      case 522 -> new String[] {"Connection timed out", "connection_timeout"};
      case 523 -> new String[] {"Origin is unreachable", "destination_unavailable"};
      case 524 -> new String[] {"A timeout occurred", "http_response_timeout"};
      default -> throw new IllegalArgumentException("Cloudflare's origin errors are 520-524, not " + status);
    };
    String html = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>localhost | " + status + ": " + info[0]
        + "</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body>\n<div id=\"cf-error-details\">\n<h1><span "
        + "class=\"cf-error-type\">Error</span> <span class=\"cf-error-code\">" + status + "</span></h1>\n<h2>"
        + info[0] + "</h2>\n<p>Cloudflare Ray ID: <strong>8f2b6c1d5e3a4b7c</strong></p>\n</div>\n</body>\n</html>\n";
    MockResponse response = new MockResponse.Builder().code(status)
        .setHeader("Content-Type", "text/html; charset=UTF-8").setHeader("Server", "cloudflare")
        .setHeader("CF-RAY", "8f2b6c1d5e3a4b7c-FRA").setHeader("Cache-Control", "no-store")
        .setHeader("Proxy-Status", "Cloudflare-Proxy;error=" + info[1]).body(html).build();
    return new MockPostgrestFault("Cloudflare " + status, Kind.STATUS, response, null, false);
  }

  /**
   * The connection is closed after the request arrived and before any byte of the response; the client sees an
   * {@code IOException} (unexpected end of stream). The request is not applied unless {@link #afterApplying()}.
   */
  public static MockPostgrestFault resetBeforeResponse() {
    MockResponse response = new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    return new MockPostgrestFault("reset before response", Kind.RESET_BEFORE_RESPONSE, response, null, false);
  }

  /**
   * The request is applied and its real answer starts (status, headers, half the body), then the connection is
   * closed; reading the body throws an {@code IOException}. An answer without a body is cut before its headers.
   */
  public static MockPostgrestFault resetDuringBody() {
    return new MockPostgrestFault("reset during body", Kind.RESET_DURING_BODY, null, null, true);
  }

  /**
   * The request is applied at once and its real answer held back for {@code duration} (a slow statement or a
   * congested link); a client whose deadline is shorter times out. Closing the server ends the stall.
   */
  public static MockPostgrestFault stall(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("stall duration must be positive: " + duration);
    }
    return new MockPostgrestFault("stall " + duration, Kind.STALL, null, duration, true);
  }

  /**
   * The request is applied and its real answer sent {@code bytes} at a time, one burst per {@code period}: each
   * read gets data in time, so only a deadline on the whole call (not a per-read timeout) ends the wait.
   */
  public static MockPostgrestFault trickle(long bytes, Duration period) {
    Objects.requireNonNull(period, "period");
    if (bytes < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("trickle needs bytes >= 1 and a positive period: " + bytes + ", " + period);
    }
    return new MockPostgrestFault("trickle " + bytes + " B per " + period, Kind.TRICKLE, null, period, true, bytes);
  }

  /**
   * This fault answered after the request was applied to the database, as when the origin committed a write and
   * the failure happened on the way back (a 520 or 524 from Cloudflare, a reset after PostgREST answered).
   *
   * @throws IllegalStateException for {@link #resetDuringBody()}, {@link #stall(Duration)} and
   *     {@link #trickle(long, Duration)}, which always apply
   */
  public MockPostgrestFault afterApplying() {
    if (kind == Kind.RESET_DURING_BODY || kind == Kind.STALL || kind == Kind.TRICKLE) {
      throw new IllegalStateException(name + " always applies the request");
    }
    if (applies) {
      return this;
    }
    return new MockPostgrestFault(name + " (after applying)", kind, response, stall, true);
  }

  /** Whether the request reaches the database before the fault. */
  public boolean appliesRequest() {
    return applies;
  }

  /** A short name, such as {@code 503 PGRST002} or {@code reset during body}, as the journal records it. */
  public String name() {
    return name;
  }

  /** The response to send, given the real one when the request was applied (null otherwise). */
  MockResponse respond(MockResponse real) {
    return switch (kind) {
      case STATUS, RESET_BEFORE_RESPONSE -> response;
      case RESET_DURING_BODY -> real.getBody() == null || real.getBody().getContentLength() == 0
          ? real.newBuilder().onResponseStart(new SocketEffect.CloseSocket()).build()
          : real.newBuilder().onResponseBody(new SocketEffect.CloseSocket()).build();
      case STALL -> real.newBuilder().headersDelay(stall.toNanos(), TimeUnit.NANOSECONDS).build();
      case TRICKLE -> real.newBuilder().throttleBody(bytesPerPeriod, stall.toNanos(), TimeUnit.NANOSECONDS).build();
    };
  }

  @Override
  public String toString() {
    return "MockPostgrestFault{" + name + "}";
  }
}
