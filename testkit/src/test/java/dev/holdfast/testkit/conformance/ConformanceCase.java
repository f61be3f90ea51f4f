package dev.holdfast.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PostgREST behaviour as data: a sequence of requests against a named fixture and the response PostgREST 13
 * gives to each (status, the headers that matter, the exact body), written from PostgREST's source, docs and
 * hspec specs. MockPostgrest runs them ({@code MockPostgrestConformanceTest}); a client module replays them as
 * wire tests by enqueueing {@link Response}s on a MockWebServer and checking what its client sends against
 * {@link Request}. Cases live in {@code dev/holdfast/testkit/conformance/*.json} on the test class path
 * (holdfast-testkit's test-jar). Immutable.
 *
 * @param behaviour the class of behaviour (a file of cases), such as {@code singular-writes}
 * @param fixture the data set the requests run against (see {@code ConformanceFixtures})
 * @param name what the case shows, as a sentence
 * @param steps the requests in order, each with the response it gets
 */
public record ConformanceCase(String behaviour, String fixture, String name, List<Step> steps) {
  /** The files of cases, one per behaviour class. */
  public static final List<String> FILES = List.of("singular-writes", "counting-and-ranges", "mutation-headers",
      "errors", "put", "embedding", "rpc", "schema-cache", "roles", "in-lists", "reserved-names", "numbers");

  public ConformanceCase {
    Objects.requireNonNull(behaviour, "behaviour");
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(name, "name");
    steps = List.copyOf(steps);
  }

  /**
   * An HTTP request under the base URL ({@code /tasks?id=eq.1}). Header values may contain
   * {@code {jwt:<claims json>}}, a token the fixture signs. {@code action} instead of a request is a step only
   * MockPostgrest performs ({@code drop-table:public.x}, {@code create-table:public.x}, {@code reload-schema}).
   */
  public record Request(String method, String path, Map<String, String> headers, String body, String action) {
    public Request {
      headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }

  /**
   * The response: {@code headers} maps each checked header to its exact value, or to null when PostgREST sends
   * none; {@code body} is byte for byte (empty for none).
   */
  public record Response(int status, Map<String, String> headers, String body) {
    public Response {
      headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      body = body == null ? "" : body;
    }
  }

  /** A request and its response; {@code response} is null for an action. */
  public record Step(Request request, Response response) {}

  /** Every case of every file. */
  public static List<ConformanceCase> all() {
    List<ConformanceCase> out = new ArrayList<>();
    FILES.forEach(f -> out.addAll(load(f)));
    return out;
  }

  /** The cases of one behaviour file. */
  public static List<ConformanceCase> load(String behaviour) {
    String resource = "/dev/holdfast/testkit/conformance/" + behaviour + ".json";
    try (InputStream in = ConformanceCase.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      JsonNode file = new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<ConformanceCase> out = new ArrayList<>();
      for (JsonNode c : file.get("cases")) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : c.get("steps")) {
          steps.add(new Step(request(s.get("request")), s.has("response") ? response(s.get("response")) : null));
        }
        String fixture = c.has("fixture") ? c.get("fixture").asText() : file.get("fixture").asText();
        out.add(new ConformanceCase(behaviour, fixture, c.get("name").asText(), steps));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Request request(JsonNode r) {
    return new Request(text(r, "method"), text(r, "path"), strings(r.get("headers")), text(r, "body"),
        text(r, "action"));
  }

  private static Response response(JsonNode r) {
    return new Response(r.get("status").asInt(), strings(r.get("headers")), text(r, "body"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return behaviour + ": " + name;
  }
}
