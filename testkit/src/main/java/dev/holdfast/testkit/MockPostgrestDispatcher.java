package dev.holdfast.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.HoldfastException;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Routes MockPostgrest's requests: {@code /rest/v1} (the OpenAPI root), {@code /rest/v1/<table>} and
 * {@code /rest/v1/rpc/<function>}, and turns every failure into PostgREST's error shape. Request parsing lives in
 * {@link MockPostgrestRequest}, table operations in {@link MockPostgrestTables}.
 */
final class MockPostgrestDispatcher extends Dispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockPostgrestTables tables;
  private final Map<String, MockPostgrest.Function> functions;

  MockPostgrestDispatcher(InMemoryDatabase database, Map<String, MockPostgrest.Function> functions) {
    this.tables = new MockPostgrestTables(database);
    this.functions = functions;
  }

  @Override
  public MockResponse dispatch(RecordedRequest recorded) {
    MockResponse response = answer(recorded);
    // A HEAD answer has no body, errors included: bytes after the headers would be read as the next response.
    return recorded.getMethod().equals("HEAD") ? response.newBuilder().body(new okio.Buffer()).build() : response;
  }

  private MockResponse answer(RecordedRequest recorded) {
    try {
      return route(recorded);
    } catch (MockPostgrestError e) {
      return e.toResponse();
    } catch (HoldfastException e) {
      String code = e.code().orElse("XX000");
      return new MockPostgrestError(MockPostgrestError.statusOf(code), code, e.reason(), null,
          e.hint().isEmpty() ? null : e.hint()).toResponse();
    } catch (RuntimeException e) {
      return new MockPostgrestError(500, "XX000", String.valueOf(e.getMessage()), e.getClass().getName(), null)
          .toResponse();
    }
  }

  private MockResponse route(RecordedRequest recorded) {
    HttpUrl url = recorded.getUrl();
    List<String> path = url.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
    if (path.size() < 2 || !path.get(0).equals("rest") || !path.get(1).equals("v1")) {
      throw new MockPostgrestError(404, "PGRST125", "Invalid path specified in request URL", null, null);
    }
    MockPostgrestRequest request = MockPostgrestRequest.of(recorded);
    if (path.size() == 2) {
      return MockPostgrestRequest.json(200, "{\"swagger\":\"2.0\",\"info\":{\"title\":\"MockPostgrest\"}}",
          request.method().equals("HEAD"));
    }
    if (path.size() == 4 && path.get(2).equals("rpc")) {
      return rpc(request, path.get(3));
    }
    if (path.size() != 3) {
      throw new MockPostgrestError(404, "PGRST125", "Invalid path specified in request URL", null, null);
    }
    return switch (request.method()) {
      case "GET", "HEAD" -> tables.read(request, path.get(2));
      case "POST" -> tables.insert(request, path.get(2));
      case "PATCH" -> tables.update(request, path.get(2));
      case "DELETE" -> tables.delete(request, path.get(2));
      default -> throw new MockPostgrestError(405, "PGRST117", "Unsupported HTTP method: " + request.method(),
          null, null);
    };
  }

  private MockResponse rpc(MockPostgrestRequest request, String name) {
    MockPostgrest.Function function = functions.get(name);
    if (function == null) {
      throw new MockPostgrestError(404, "PGRST202", "Could not find the function " + request.schema() + "."
          + name + " without parameters in the schema cache", null,
          "If a new function was created in the database with this name and parameters, try reloading the "
              + "schema cache.");
    }
    ObjectNode args;
    if (request.method().equals("GET") || request.method().equals("HEAD")) {
      args = JSON.createObjectNode();
      request.arguments().forEach(args::put);
    } else {
      JsonNode body = request.jsonBody();
      if (body != null && !body.isObject()) {
        throw new MockPostgrestError(400, "PGRST102", "Empty or invalid json", null, null);
      }
      args = body == null ? JSON.createObjectNode() : (ObjectNode) body;
    }
    JsonNode result = function.call(args);
    return MockPostgrestRequest.json(200, write(result), request.method().equals("HEAD"));
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }
}
