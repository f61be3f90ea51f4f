package dev.holdfast.testkit;

import static dev.holdfast.testkit.FaultProxyTest.ascii;
import static dev.holdfast.testkit.FaultProxyTest.awaitUntil;
import static dev.holdfast.testkit.FaultProxyTest.connect;
import static dev.holdfast.testkit.FaultProxyTest.readUntilEnd;
import static dev.holdfast.testkit.FaultProxyTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.holdfast.testkit.FaultProxy.Direction;
import dev.holdfast.testkit.FaultProxy.Fault;
import dev.holdfast.testkit.FaultProxyTest.EchoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting, stopping and misuse: threads and ports are really released, bad input is refused clearly. */
class FaultProxyLifecycleTest {
  private static final Duration GUARD = Duration.ofMillis(FaultProxyTest.GUARD_MILLIS);

  @Test
  void closeEndsEveryProxyThreadAndReleasesThePort() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
      int port = proxy.port();
      try (Socket flowing = connect(proxy); Socket held = connect(proxy)) {
        roundTrip(flowing, ascii("hi"));
        proxy.blackHole();
        held.getOutputStream().write(ascii("held"));
        awaitUntil(() -> proxy.openConnections() == 2);
        assertThat(proxyThreads(port)).hasSizeGreaterThanOrEqualTo(4);

        proxy.close();

        assertThat(proxyThreads(port)).isEmpty();
        assertThat(readUntilEnd(flowing)).isEmpty();
        assertThat(readUntilEnd(held)).isEmpty();
        assertThat(proxy.openConnections()).isZero();
      }
      try (ServerSocket rebound = new ServerSocket()) {
        rebound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        assertThat(rebound.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void closeIsIdempotent() throws IOException {
    try (EchoServer echo = new EchoServer()) {
      FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
      proxy.close();
      proxy.close();
      assertThat(proxyThreads(proxy.port())).isEmpty();
    }
  }

  @Test
  void closeDoesNotWaitForAChunkServingItsLatency() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
      proxy.latency(Duration.ofDays(1));
      try (Socket client = connect(proxy)) {
        client.getOutputStream().write(ascii("slow"));
        awaitUntil(() -> echo.accepted() == 1);

        assertTimeoutPreemptively(GUARD, proxy::close);

        assertThat(readUntilEnd(client)).isEmpty();
        assertThat(proxyThreads(proxy.port())).isEmpty();
      }
    }
  }

  @Test
  void resetsTheClientWhenTheTargetRefusesToConnect() throws Exception {
    int deadPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      deadPort = probe.getLocalPort();
    }
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", deadPort); Socket client = connect(proxy)) {
      assertThat(readUntilEnd(client)).isEmpty();
      awaitUntil(() -> proxy.openConnections() == 0);
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void listensOnTheGivenPortAndReportsWhereItForwards() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      free = probe.getLocalPort();
    }
    try (EchoServer echo = new EchoServer();
        FaultProxy proxy = FaultProxy.builder("127.0.0.1", echo.port())
            .listenPort(free)
            .connectTimeout(Duration.ofSeconds(1))
            .start()) {
      assertThat(proxy.host()).isEqualTo("127.0.0.1");
      assertThat(proxy.port()).isEqualTo(free);
      assertThat(proxy.targetHost()).isEqualTo("127.0.0.1");
      assertThat(proxy.targetPort()).isEqualTo(echo.port());
      assertThat(proxy).hasToString(
          "FaultProxy[127.0.0.1:" + free + " -> 127.0.0.1:" + echo.port() + ", PassThrough[]]");
      try (Socket client = connect(proxy)) {
        assertThat(roundTrip(client, ascii("ok"))).isEqualTo(ascii("ok"));
      }
    }
  }

  @Test
  void startingOnAPortInUseFailsWithAnUncheckedIoException() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> FaultProxy.builder("127.0.0.1", 5432).listenPort(busy.getLocalPort()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + busy.getLocalPort());
    }
  }

  @Test
  void rejectsBadArgumentsWithClearMessages() {
    assertThatThrownBy(() -> FaultProxy.start(null, 5432))
        .isInstanceOf(NullPointerException.class).hasMessage("targetHost");
    assertThatThrownBy(() -> FaultProxy.start(" ", 5432))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetHost");
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetPort");
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 65536))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    assertThatThrownBy(() -> FaultProxy.builder("127.0.0.1", 5432).listenPort(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listenPort");
    assertThatThrownBy(() -> FaultProxy.builder("127.0.0.1", 5432).connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> new Fault.Latency(Duration.ofMillis(-1), Direction.BOTH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> new Fault.CutAfterBytes(-1, Direction.DOWNSTREAM))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> new Fault.Latency(null, Direction.BOTH))
        .isInstanceOf(NullPointerException.class).hasMessage("delay");
  }

  @Test
  void rejectsBadFaultsWithoutChangingTheOneInForce() throws IOException {
    try (EchoServer echo = new EchoServer(); FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port())) {
      proxy.blackHole();

      assertThatThrownBy(() -> proxy.latency(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> proxy.cutAfterBytes(-5)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> proxy.inject(null)).isInstanceOf(NullPointerException.class).hasMessage("fault");

      assertThat(proxy.fault()).isEqualTo(new Fault.BlackHole());
    }
  }

  private static List<Thread> proxyThreads(int port) {
    String prefix = "holdfast-fault-proxy-" + port + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
        .toList();
  }
}
