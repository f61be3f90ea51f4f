package dev.holdfast.testkit;

import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Routes MockPostgrest's requests under {@code /rest/v1} to the PostgREST emulation and turns every failure into
 * PostgREST's error shape; anything that escapes as a plain exception is a MockPostgrest bug and answers 500
 * {@code XX000} with its message, never a silently wrong success.
 */
final class MockPostgrestDispatcher extends Dispatcher {
  private final MockPostgrestHandler handler;

  MockPostgrestDispatcher(MockPostgrestHandler handler) {
    this.handler = handler;
  }

  @Override
  public MockResponse dispatch(RecordedRequest recorded) {
    MockResponse response = answer(recorded);
    // A HEAD answer has no body, errors included: bytes after the headers would be read as the next response.
    // PostgREST (Warp) sends no Content-Length on HEAD and 204 answers; MockWebServer would add one.
    if (recorded.getMethod().equals("HEAD")) {
      return response.newBuilder().body(new okio.Buffer()).removeHeader("Content-Length").build();
    }
    return response.getCode() == 204 ? response.newBuilder().removeHeader("Content-Length").build() : response;
  }

  private MockResponse answer(RecordedRequest recorded) {
    try {
      HttpUrl url = recorded.getUrl();
      List<String> path = url.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
      if (path.size() < 2 || !path.get(0).equals("rest") || !path.get(1).equals("v1")) {
        throw new MockPostgrestError(404, "PGRST125", "Invalid path specified in request URL", null, null);
      }
      return handler.handle(recorded, path.subList(2, path.size()));
    } catch (MockPostgrestError e) {
      return e.toResponse();
    } catch (RuntimeException e) {
      return new MockPostgrestError(500, "XX000", String.valueOf(e.getMessage()), "MockPostgrest failed with "
          + e.getClass().getName(), null).toResponse();
    }
  }
}
