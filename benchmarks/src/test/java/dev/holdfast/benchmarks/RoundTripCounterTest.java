package dev.holdfast.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RoundTripCounterTest {
  @Test
  void countsOneRoundTripPerRequestAnsweredHoweverTheBytesAreSplit() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          byte[] request = new byte[4];
          for (int i = 0; i < 3; i++) {
            in.readNBytes(request, 0, 4);
            out.write("ok".getBytes());
            out.flush();
            out.write("!".getBytes());
            out.flush();
          }
        } catch (Exception ignored) {
          // The test fails on the client side.
        }
      });
      server.start();
      try (RoundTripCounter counter = new RoundTripCounter(echo.getLocalPort());
          Socket client = new Socket(InetAddress.getLoopbackAddress(), counter.port())) {
        client.setTcpNoDelay(true);
        for (int i = 0; i < 3; i++) {
          // A request sent in two pieces is still one round trip.
          client.getOutputStream().write("pi".getBytes());
          client.getOutputStream().flush();
          client.getOutputStream().write("ng".getBytes());
          client.getOutputStream().flush();
          assertThat(client.getInputStream().readNBytes(3)).isEqualTo("ok!".getBytes());
        }
        assertThat(counter.roundTrips()).isEqualTo(3);
      }
      server.join();
    }
  }
}
