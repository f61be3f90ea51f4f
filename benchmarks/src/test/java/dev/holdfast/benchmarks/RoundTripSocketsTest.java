package dev.holdfast.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RoundTripSocketsTest {
  @Test
  void countsOneRoundTripPerWaitHoweverManyWritesAndReadsItTakes() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          for (int i = 0; i < 3; i++) {
            in.readNBytes(4);
            out.write("ok!".getBytes());
            out.flush();
          }
        } catch (Exception ignored) {
          // The test fails on the client side.
        }
      });
      server.start();
      long before = RoundTripSockets.roundTrips();
      try (Socket client = new RoundTripSockets().createSocket(InetAddress.getLoopbackAddress(),
          echo.getLocalPort())) {
        for (int i = 0; i < 3; i++) {
          // Two writes then two reads: the client waited once.
          client.getOutputStream().write("pi".getBytes());
          client.getOutputStream().write("ng".getBytes());
          client.getOutputStream().flush();
          assertThat(client.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes());
          assertThat(client.getInputStream().read()).isEqualTo('!');
        }
      }
      server.join();
      assertThat(RoundTripSockets.roundTrips() - before).isEqualTo(3);
    }
  }
}
