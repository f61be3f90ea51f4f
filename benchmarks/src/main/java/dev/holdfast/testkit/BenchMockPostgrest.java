package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * MockPostgrest's dispatcher on a MockWebServer whose sockets the benchmarks choose (TCP_NODELAY), because
 * {@link MockPostgrest} itself leaves Nagle's algorithm on and every response then waits 40 ms for a delayed ACK.
 * Lives in the testkit's package, inside the benchmarks module, only to reach the package-private dispatcher;
 * not part of the testkit. Thread-safe; close it to stop the server.
 */
public final class BenchMockPostgrest implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();

  public BenchMockPostgrest(InMemoryDatabase database, ServerSocketFactory sockets) {
    server.setServerSocketFactory(sockets);
    server.setDispatcher(new MockPostgrestDispatcher(database, Map.of()));
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL, {@code http://<host>:<port>/rest/v1}. */
  public String url() {
    return server.url("/rest/v1").toString();
  }

  /** How many requests the server has received. */
  public int requestCount() {
    return server.getRequestCount();
  }

  @Override
  public void close() {
    server.close();
  }
}
