package dev.holdfast.testkit;

import static dev.holdfast.testkit.FaultProxyTest.ascii;
import static dev.holdfast.testkit.FaultProxyTest.awaitUntil;
import static dev.holdfast.testkit.FaultProxyTest.connect;
import static dev.holdfast.testkit.FaultProxyTest.randomBytes;
import static dev.holdfast.testkit.FaultProxyTest.readFully;
import static dev.holdfast.testkit.FaultProxyTest.readUntilEnd;
import static dev.holdfast.testkit.FaultProxyTest.roundTrip;
import static dev.holdfast.testkit.FaultProxyTest.writeIgnoringReset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testkit.FaultProxy.Direction;
import dev.holdfast.testkit.FaultProxy.Fault;
import dev.holdfast.testkit.FaultProxyTest.EchoServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults that break connections — refuse, reset, black hole, cut — through real loopback sockets in front
 * of an echo server. The one short timeout (300 ms) proves that a black hole holds bytes, and cannot flake:
 * nothing may arrive while the black hole is in force. Other timeouts only guard against a hanging test.
 */
class FaultProxyFaultsTest {
  private EchoServer echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
    proxy = FaultProxy.start("127.0.0.1", echo.port());
  }

  @AfterEach
  void stop() {
    proxy.close();
    echo.close();
  }

  @Test
  void refusesNewConnectionsBeforeTheyReachTheTargetWhileOpenOnesKeepWorking() throws Exception {
    try (Socket open = connect(proxy)) {
      assertThat(roundTrip(open, ascii("before"))).isEqualTo(ascii("before"));

      proxy.refuseNewConnections();

      try (Socket refused = connect(proxy)) {
        writeIgnoringReset(refused, ascii("hello"));
        assertThat(readUntilEnd(refused)).isEmpty();
      }
      assertThat(roundTrip(open, ascii("after"))).isEqualTo(ascii("after"));
    }
    assertThat(echo.accepted()).isEqualTo(1);
    assertThat(proxy.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void resetAllResetsOpenConnectionsAndStillAcceptsNewOnes() throws Exception {
    try (Socket first = connect(proxy); Socket second = connect(proxy)) {
      roundTrip(first, ascii("one"));
      roundTrip(second, ascii("two"));

      proxy.resetAll();

      assertThatThrownBy(() -> first.getInputStream().read()).isInstanceOf(SocketException.class);
      assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketException.class);
      assertThat(echo.awaitEndedConnection()).isEqualTo(3);
      assertThat(echo.awaitEndedConnection()).isEqualTo(3);
    }
    try (Socket fresh = connect(proxy)) {
      assertThat(roundTrip(fresh, ascii("three"))).isEqualTo(ascii("three"));
    }
    assertThat(proxy.fault()).isEqualTo(new Fault.PassThrough());
  }

  @Test
  void blackHoleHoldsEveryByteSoClientsTimeOut() throws Exception {
    try (Socket open = connect(proxy)) {
      roundTrip(open, ascii("warm"));
      proxy.blackHole();

      try (Socket fresh = connect(proxy)) {
        for (Socket client : List.of(open, fresh)) {
          client.setSoTimeout(300);
          client.getOutputStream().write(ascii("ping"));
          assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(echo.accepted()).isEqualTo(1);
        assertThat(echo.received()).isEqualTo(4);
        assertThat(proxy.openConnections()).isEqualTo(2);
      }
    }
  }

  @Test
  void healingABlackHoleDeliversTheHeldBytesInOrder() throws Exception {
    try (Socket open = connect(proxy)) {
      roundTrip(open, ascii("warm"));
      proxy.blackHole();
      try (Socket fresh = connect(proxy)) {
        open.getOutputStream().write(ascii("held-1"));
        fresh.getOutputStream().write(ascii("held-2"));
        awaitUntil(() -> proxy.openConnections() == 2);

        proxy.heal();

        assertThat(readFully(open.getInputStream(), 6)).isEqualTo(ascii("held-1"));
        assertThat(readFully(fresh.getInputStream(), 6)).isEqualTo(ascii("held-2"));
        assertThat(echo.accepted()).isEqualTo(2);
      }
    }
  }

  @Test
  void cutAfterBytesDeliversExactlyThatManyBytesToEachConnectionThenResetsIt() throws Exception {
    proxy.cutAfterBytes(100);
    for (int connection = 0; connection < 2; connection++) {
      byte[] payload = randomBytes(1000);
      try (Socket client = connect(proxy)) {
        client.getOutputStream().write(payload);

        assertThat(readUntilEnd(client)).isEqualTo(Arrays.copyOf(payload, 100));
      }
    }
    awaitUntil(() -> proxy.openConnections() == 0);
  }

  @Test
  void cutAfterBytesCountsFromWhenItIsInstalledOnAnOpenConnection() throws Exception {
    try (Socket client = connect(proxy)) {
      roundTrip(client, randomBytes(500));

      proxy.cutAfterBytes(10);
      byte[] payload = randomBytes(50);
      client.getOutputStream().write(payload);

      assertThat(readUntilEnd(client)).isEqualTo(Arrays.copyOf(payload, 10));
    }
  }

  @Test
  void cutAfterBytesUpstreamLetsTheTargetReceiveExactlyThatManyBytes() throws Exception {
    proxy.inject(new Fault.CutAfterBytes(100, Direction.UPSTREAM));
    try (Socket client = connect(proxy)) {
      client.getOutputStream().write(randomBytes(1000));

      assertThat(echo.awaitEndedConnection()).isEqualTo(100);
      assertThat(readUntilEnd(client).length).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void cutAfterBytesInBothDirectionsSharesOneBudgetPerConnection() throws Exception {
    try (Socket client = connect(proxy)) {
      roundTrip(client, ascii("warm"));
      proxy.inject(new Fault.CutAfterBytes(10, Direction.BOTH));

      client.getOutputStream().write(ascii("0123456"));
      assertThat(readFully(client.getInputStream(), 3)).isEqualTo(ascii("012"));
      assertThat(readUntilEnd(client)).isEmpty();
    }
    assertThat(echo.awaitEndedConnection()).isEqualTo(4 + 7);
  }
}
