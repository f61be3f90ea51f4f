package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * MockPostgrest's outermost dispatcher: records each request in the journal, asks the fault script whether to
 * fail it, and otherwise (or first, for faults that apply the request) hands it to the PostgREST emulation.
 * Thread-safe.
 */
final class MockPostgrestFront extends Dispatcher {
  private static final String BASE = "/rest/v1";

  private final Dispatcher postgrest;
  private final MockPostgrestFaults faults;
  private final List<MockPostgrestCall> journal = new ArrayList<>();

  MockPostgrestFront(Dispatcher postgrest, MockPostgrestFaults faults) {
    this.postgrest = postgrest;
    this.faults = faults;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String encoded = request.getUrl().encodedPath();
    String path = encoded.startsWith(BASE) ? encoded.substring(BASE.length()) : encoded;
    MockPostgrestFault fault = faults.pick(request.getMethod(), path.isEmpty() ? "/" : path);
    record(request, path, fault);
    if (fault == null) {
      return postgrest.dispatch(request);
    }
    MockResponse response = fault.respond(fault.appliesRequest() ? postgrest.dispatch(request) : null);
    // A HEAD answer has no body, error pages included: bytes after the headers would be read as the next response.
    return request.getMethod().equals("HEAD") && response.getBody() != null
        ? response.newBuilder().body(new okio.Buffer()).build() : response;
  }

  private void record(RecordedRequest request, String path, MockPostgrestFault fault) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Headers h = request.getHeaders();
    for (int i = 0; i < h.size(); i++) {
      headers.computeIfAbsent(h.name(i).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.value(i));
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    String query = request.getUrl().encodedQuery();
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    synchronized (journal) {
      journal.add(new MockPostgrestCall(journal.size() + 1, request.getMethod(), path, query == null ? "" : query,
          headers, body, fault == null ? null : fault.name()));
    }
  }

  List<MockPostgrestCall> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  void clearJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }
}
