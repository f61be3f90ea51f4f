package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.internal.rest.PgJson;
import dev.holdfast.testkit.internal.rest.PgNodes;
import dev.holdfast.testkit.internal.rest.Range;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * The bodies and headers of PostgREST 13's successful responses ({@code Response.actionResponse}): {@code json_agg}
 * bodies, singular objects, nulls stripped on request, {@code Content-Range} as {@code contentRangeH} writes it,
 * the status {@code rangeStatusHeader} picks (200, 206, or 416 with PGRST103 past the end), {@code
 * Content-Location} on reads, {@code Content-Profile} when the schema was negotiated, {@code Preference-Applied}.
 * Stateless.
 */
final class MockPostgrestResponses {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private MockPostgrestResponses() {}

  /** The body of {@code rows} in {@code media}: an array, or the first row for the singular type. */
  static String body(List<ObjectNode> rows, MockPostgrestMedia media) {
    if (media.singular()) {
      JsonNode first = rows.isEmpty() ? NODES.nullNode() : MockPostgrestReader.strip(rows.get(0));
      return media.stripNulls() ? PgJson.write(stripNulls(first)) : PgJson.write(first);
    }
    PgNodes.Agg agg = new PgNodes.Agg();
    rows.forEach(r -> agg.add(MockPostgrestReader.strip(r)));
    return media.kind() == MockPostgrestMedia.Kind.ARRAY ? PgJson.write(stripNulls(agg)) : PgJson.write(agg);
  }

  /** {@code json_strip_nulls}: object members that are null removed at every level; compact, as it prints. */
  static JsonNode stripNulls(JsonNode v) {
    JsonNode n = v instanceof PgNodes.Jsonb j ? j.tree() : v instanceof PgNodes.JsonText t ? t.tree() : v;
    if (n.isObject()) {
      ObjectNode out = NODES.objectNode();
      n.properties().iterator().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.set(e.getKey(), stripNulls(e.getValue()));
        }
      });
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NODES.arrayNode();
      n.forEach(e -> out.add(stripNulls(e)));
      return out;
    }
    return n;
  }

  /** {@code contentRangeH lower upper total}. */
  static String contentRange(long lower, long upper, Long total) {
    boolean totalNotZero = total == null || total != 0;
    String range = totalNotZero && lower <= upper ? lower + "-" + upper : "*";
    return range + "/" + (total == null ? "*" : total);
  }

  /** {@code rangeStatusHeader}: the status and {@code Content-Range} of a page of {@code pageRows}. */
  static Object[] rangeStatus(Range top, long pageRows, Long total) {
    long lower = top.offset();
    long upper = lower + pageRows - 1;
    int status;
    if (total == null) {
      status = 200;
    } else if (lower > total) {
      status = 416;
    } else if (1 + upper - lower < total) {
      status = 206;
    } else {
      status = 200;
    }
    return new Object[] {status, contentRange(lower, upper, total)};
  }

  /** PGRST103's body for an offset past the end. */
  static String outOfBounds(long offset, Long total) {
    return new MockPostgrestError(416, "PGRST103", "Requested range not satisfiable", "An offset of " + offset
        + " was requested, but there are only " + (total == null ? 0 : total) + " rows.", null).body();
  }

  static MockResponse.Builder builder(int status) {
    return new MockResponse.Builder().code(status);
  }

  /** Adds {@code Content-Type} (and {@code Content-Profile} when the schema was negotiated). */
  static void contentType(MockResponse.Builder b, MockPostgrestMedia media, MockPostgrestRequest req) {
    b.setHeader("Content-Type", media.contentType());
    if (req.negotiatedByProfile) {
      b.setHeader("Content-Profile", req.schema);
    }
  }

  static void header(MockResponse.Builder b, String name, String value) {
    if (value != null) {
      b.setHeader(name, value);
    }
  }
}
