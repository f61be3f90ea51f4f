package dev.holdfast.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that counts round trips: a round trip is the client sending again after the server has answered
 * (or for the first time on a connection). With a request/response protocol like PostgreSQL's this is exactly
 * the number of times the client waited for the network. Thread-safe; close it to stop.
 */
final class RoundTripCounter implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong roundTrips = new AtomicLong();
  private final Thread acceptor;

  RoundTripCounter(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "round-trip-counter");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  long roundTrips() {
    return roundTrips.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        // true while the last bytes on this connection went server to client: the next client bytes start a
        // new round trip.
        boolean[] answered = {true};
        pump(client, upstream, answered, true);
        pump(upstream, client, answered, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean[] answered, boolean upstream) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (answered) {
            if (upstream && answered[0]) {
              roundTrips.incrementAndGet();
              if (Boolean.getBoolean("bench.traceRoundTrips")) {
                System.err.println("round trip: " + new String(buf, 0, Math.min(n, 120),
                    java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "."));
              }
              answered[0] = false;
            } else if (!upstream) {
              answered[0] = true;
            }
          }
          out.write(buf, 0, n);
        }
      } catch (IOException ignored) {
        // The other side closed.
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // Closing.
        }
      }
    }, "round-trip-counter-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
