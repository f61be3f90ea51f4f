package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.QueryParams;
import dev.holdfast.testkit.internal.rest.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * One request read as PostgREST 13's {@code userApiRequest} reads it, in its order and with its errors: the
 * resource ({@code 404 PGRST125}), the schema from the profile headers ({@code 406 PGRST106}), the action
 * ({@code 405 PGRST101}/{@code PGRST117}), the query string ({@code 400 PGRST100}), the ranges ({@code 416
 * PGRST103}, {@code 400 PGRST114}) and the payload ({@code 400 PGRST102}). Immutable once parsed.
 */
final class MockPostgrestRequest {
  enum Resource { ROOT, RELATION, ROUTINE }

  final String method;
  final Resource resource;
  final String target;
  final String schema;
  final boolean negotiatedByProfile;
  final QueryParams query;
  final Range topLevelRange;
  final java.util.Map<String, Range> ranges;
  final MockPostgrestPayload payload;
  final Set<String> columns;
  final MockPostgrestPrefs prefs;
  final List<MockPostgrestMedia> accept;
  final MockPostgrestMedia contentType;
  final Headers headers;

  private MockPostgrestRequest(Builder b) {
    this.method = b.method;
    this.resource = b.resource;
    this.target = b.target;
    this.schema = b.schema;
    this.negotiatedByProfile = b.negotiatedByProfile;
    this.query = b.query;
    this.topLevelRange = b.topLevelRange;
    this.ranges = b.ranges;
    this.payload = b.payload;
    this.columns = b.columns;
    this.prefs = b.prefs;
    this.accept = b.accept;
    this.contentType = b.contentType;
    this.headers = b.headers;
  }

  private static final class Builder {
    String method;
    Resource resource;
    String target;
    String schema;
    boolean negotiatedByProfile;
    QueryParams query;
    Range topLevelRange;
    java.util.Map<String, Range> ranges;
    MockPostgrestPayload payload;
    Set<String> columns;
    MockPostgrestPrefs prefs;
    List<MockPostgrestMedia> accept;
    MockPostgrestMedia contentType;
    Headers headers;

    boolean isReadMethod() {
      return method.equals("GET") || method.equals("HEAD");
    }
  }

  boolean isRead() {
    return method.equals("GET") || method.equals("HEAD");
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  /**
   * Parses {@code recorded}, whose path under the base URL is {@code segments}.
   *
   * @throws MockPostgrestError with PostgREST's status, code and message
   */
  static MockPostgrestRequest parse(RecordedRequest recorded, List<String> segments, MockPostgrestOptions options) {
    Builder b = new Builder();
    b.method = recorded.getMethod().toUpperCase(Locale.ROOT);
    b.headers = recorded.getHeaders();
    b.prefs = new MockPostgrestPrefs(b.headers.values("Prefer"), options.allowTxOverride());
    if (segments.isEmpty()) {
      b.resource = Resource.ROOT;
    } else if (segments.size() == 1) {
      b.resource = Resource.RELATION;
      b.target = segments.get(0);
    } else if (segments.size() == 2 && segments.get(0).equals("rpc")) {
      b.resource = Resource.ROUTINE;
      b.target = segments.get(1);
    } else {
      throw new MockPostgrestError(404, "PGRST125", "Invalid path specified in request URL", null, null);
    }
    schema(b, options);
    action(b);
    boolean rpcRead = b.resource == Resource.ROUTINE && b.isReadMethod();
    try {
      b.query = QueryParams.parse(rpcRead, recorded.getUrl().encodedQuery());
    } catch (QueryParams.Invalid e) {
      throw MockPostgrestError.parse(e.failure.message(), e.failure.details());
    }
    ranges(b);
    String ct = b.headers.get("Content-Type");
    b.contentType = ct == null ? new MockPostgrestMedia(MockPostgrestMedia.Kind.JSON, false, null)
        : MockPostgrestMedia.decode(ct);
    payload(b, recorded.getBody() == null ? "" : recorded.getBody().utf8());
    b.accept = MockPostgrestMedia.accept(b.headers.get("Accept"));
    return new MockPostgrestRequest(b);
  }

  private static void schema(Builder b, MockPostgrestOptions options) {
    boolean write = b.method.equals("DELETE") || b.method.equals("PATCH") || b.method.equals("POST")
        || b.method.equals("PUT");
    String profile = b.headers.get(write ? "Content-Profile" : "Accept-Profile");
    List<String> exposed = options.schemas();
    if (profile != null) {
      if (!exposed.contains(profile)) {
        throw new MockPostgrestError(406, "PGRST106", "Invalid schema: " + profile, null,
            "Only the following schemas are exposed: " + String.join(", ", exposed));
      }
      b.schema = profile;
      b.negotiatedByProfile = true;
    } else {
      b.schema = exposed.get(0);
      b.negotiatedByProfile = exposed.size() != 1;
    }
  }

  private static void action(Builder b) {
    Set<String> ok = switch (b.resource) {
      case ROUTINE -> Set.of("HEAD", "GET", "POST", "OPTIONS");
      case RELATION -> Set.of("HEAD", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
      case ROOT -> Set.of("HEAD", "GET", "OPTIONS");
    };
    if (!ok.contains(b.method)) {
      if (b.resource == Resource.ROUTINE) {
        throw new MockPostgrestError(405, "PGRST101", "Cannot use the " + b.method + " method on RPC", null, null);
      }
      throw new MockPostgrestError(405, "PGRST117", "Unsupported HTTP method: " + b.method, null, null);
    }
  }

  /** {@code getRanges}: the Range header counts only on GET; limit and offset everywhere. */
  private static void ranges(Builder b) {
    Range header = b.method.equals("GET") ? rangeHeader(b.headers.get("Range")) : Range.ALL;
    Range limit = b.query.ranges.getOrDefault("limit", Range.ALL);
    Range headerAndLimit = header.intersect(limit);
    java.util.Map<String, Range> ranges = new java.util.HashMap<>(b.query.ranges);
    ranges.put("limit", Range.limitZeroOr(limit, headerAndLimit));
    Range top = ranges.get("limit");
    boolean invalid = top.isEmpty() && !limit.hasLimitZero();
    if (invalid) {
      String details = header.isEmpty()
          ? "The lower boundary must be lower than or equal to the upper boundary in the Range header."
          : "Limit should be greater than or equal to zero.";
      throw new MockPostgrestError(416, "PGRST103", "Requested range not satisfiable", details, null);
    }
    if (b.method.equals("PUT") && !top.equals(Range.ALL)) {
      throw new MockPostgrestError(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT",
          null, null);
    }
    b.topLevelRange = top;
    b.ranges = ranges;
  }

  /** {@code rangeParse}: {@code ^([0-9]+)-([0-9]*)$}, anything else is the whole range. */
  private static Range rangeHeader(String value) {
    if (value == null || !value.matches("[0-9]+-[0-9]*")) {
      return Range.ALL;
    }
    int dash = value.indexOf('-');
    Range lower = Range.geq(parse(value.substring(0, dash)));
    String up = value.substring(dash + 1);
    return up.isEmpty() ? lower.intersect(Range.ALL) : lower.intersect(Range.leq(parse(up)));
  }

  private static long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** {@code getPayload}: parsed for POST/PATCH/PUT and RPC POST; the columns are the payload's keys or ?columns. */
  private static void payload(Builder b, String body) {
    boolean routine = b.resource == Resource.ROUTINE;
    boolean parse = (b.resource == Resource.RELATION && (b.method.equals("POST") || b.method.equals("PATCH")
        || b.method.equals("PUT"))) || (routine && b.method.equals("POST"));
    Set<String> columnsParam = (b.resource == Resource.RELATION && (b.method.equals("POST")
        || b.method.equals("PATCH"))) || (routine && b.method.equals("POST")) ? b.query.columns : null;
    if (!parse) {
      b.columns = Set.of();
      return;
    }
    b.payload = MockPostgrestPayload.parse(body, b.contentType, columnsParam != null, routine);
    b.columns = b.payload.keys != null ? b.payload.keys : columnsParam != null ? columnsParam : Set.of();
  }

  /** The arguments of a GET/HEAD RPC call: the parameters without an operator, in order. */
  List<String[]> rpcArguments() {
    return new ArrayList<>(query.rpcParams);
  }

  /** Why a value cannot be read as JSON, for RPC arguments and PATCH bodies. */
  static PgError invalidJson(String detail) {
    return new PgError("22P02", "invalid input syntax for type json", detail, null);
  }
}
