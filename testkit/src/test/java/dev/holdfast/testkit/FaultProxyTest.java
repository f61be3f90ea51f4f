package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.holdfast.testkit.FaultProxy.Direction;
import dev.holdfast.testkit.FaultProxy.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passing through, latency and healing, through real loopback sockets in front of an echo server; also the
 * helpers and the echo server the other FaultProxy tests share. Timeouts only guard against a hanging test,
 * never assert speed.
 */
class FaultProxyTest {
  static final int GUARD_MILLIS = 10_000;

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
  void passesOneMegabyteThroughUnchanged() throws Exception {
    byte[] payload = randomBytes(1024 * 1024);
    try (Socket client = connect(proxy)) {
      byte[] echoed = roundTrip(client, payload);

      assertThat(sha256(echoed)).isEqualTo(sha256(payload));
      awaitUntil(() -> proxy.bytesDownstream() == payload.length);
      assertThat(proxy.bytesUpstream()).isEqualTo(payload.length);
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    awaitUntil(() -> proxy.openConnections() == 0);
  }

  @Test
  void passesHalfClosesOnSoBothSidesSeeAnOrderlyEndOfStream() throws Exception {
    try (Socket client = connect(proxy)) {
      client.getOutputStream().write(ascii("bye"));
      client.shutdownOutput();

      assertThat(readFully(client.getInputStream(), 3)).isEqualTo(ascii("bye"));
      assertThat(client.getInputStream().read()).isEqualTo(-1);
      assertThat(echo.awaitEndedConnection()).isEqualTo(3);
    }
    awaitUntil(() -> proxy.openConnections() == 0);
  }

  @Test
  void delaysEveryChunkButDeliversTheBytesIntact() throws Exception {
    proxy.latency(Duration.ofMillis(2));
    byte[] payload = randomBytes(64 * 1024);

    try (Socket client = connect(proxy)) {
      assertThat(sha256(roundTrip(client, payload))).isEqualTo(sha256(payload));
    }
    assertThat(proxy.fault()).isEqualTo(new Fault.Latency(Duration.ofMillis(2), Direction.BOTH));
  }

  @Test
  void healingReleasesAChunkThatIsStillServingItsLatency() throws Exception {
    proxy.inject(new Fault.Latency(Duration.ofHours(1), Direction.UPSTREAM));
    try (Socket client = connect(proxy)) {
      client.getOutputStream().write(ascii("ping"));
      awaitUntil(() -> proxy.openConnections() == 1 && echo.accepted() == 1);

      proxy.heal();

      assertThat(readFully(client.getInputStream(), 4)).isEqualTo(ascii("ping"));
    }
  }

  @Test
  void healRestoresPassThroughAfterRefusingConnections() throws Exception {
    proxy.refuseNewConnections();
    try (Socket refused = connect(proxy)) {
      assertThat(readUntilEnd(refused)).isEmpty();
    }

    proxy.heal();

    try (Socket client = connect(proxy)) {
      assertThat(roundTrip(client, ascii("back"))).isEqualTo(ascii("back"));
    }
    assertThat(proxy.fault()).isEqualTo(new Fault.PassThrough());
  }

  // ---- helpers shared with the other FaultProxy tests ----

  static Socket connect(FaultProxy proxy) throws IOException {
    Socket socket = new Socket(proxy.host(), proxy.port());
    socket.setSoTimeout(GUARD_MILLIS);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Writes {@code payload} from another thread (the echo pushes back while we write) and reads it back. */
  static byte[] roundTrip(Socket client, byte[] payload) throws Exception {
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
      try {
        client.getOutputStream().write(payload);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    byte[] echoed = readFully(client.getInputStream(), payload.length);
    writing.get(GUARD_MILLIS, TimeUnit.MILLISECONDS);
    return echoed;
  }

  static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    assertThat(bytes).as("bytes before end of stream").hasSize(length);
    return bytes;
  }

  /** Reads until end of stream or a reset; a read timeout fails the test. */
  static byte[] readUntilEnd(Socket client) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int read; (read = client.getInputStream().read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, read);
      }
    } catch (SocketTimeoutException e) {
      fail("the connection did not end", e);
    } catch (SocketException reset) {
      // A reset ends the stream as surely as a FIN does.
    }
    return bytes.toByteArray();
  }

  static void writeIgnoringReset(Socket client, byte[] bytes) {
    try {
      client.getOutputStream().write(bytes);
    } catch (IOException alreadyReset) {
      // The proxy may reset the connection before the write; the read that follows checks the outcome.
    }
  }

  static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARD_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within the guard timeout");
      }
      Thread.sleep(5);
    }
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  /** A target that echoes every byte and remembers how many bytes each connection received. */
  static final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final BlockingQueue<Long> endedConnections = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    EchoServer() throws IOException {
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      start(this::acceptLoop);
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    long received() {
      return received.get();
    }

    /** How many bytes the next connection to end had received. */
    long awaitEndedConnection() throws InterruptedException {
      Long bytes = endedConnections.poll(GUARD_MILLIS, TimeUnit.MILLISECONDS);
      assertThat(bytes).as("an echo connection ended").isNotNull();
      return bytes;
    }

    private void acceptLoop() {
      try {
        while (true) {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          synchronized (sockets) {
            sockets.add(socket);
          }
          start(() -> echo(socket));
        }
      } catch (IOException closed) {
        // close() ends the loop.
      }
    }

    private void echo(Socket socket) {
      long total = 0;
      byte[] buffer = new byte[8192];
      try (socket) {
        for (int read; (read = socket.getInputStream().read(buffer)) >= 0; ) {
          total += read;
          received.addAndGet(read);
          socket.getOutputStream().write(buffer, 0, read);
        }
      } catch (IOException resetOrClosed) {
        // The connection ended; record it like an end of stream.
      }
      endedConnections.add(total);
    }

    private synchronized void start(Runnable body) {
      Thread thread = new Thread(body, "echo-server-" + threads.size());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    @Override
    public void close() {
      try {
        server.close();
        synchronized (sockets) {
          for (Socket socket : sockets) {
            socket.close();
          }
        }
        List<Thread> started;
        synchronized (this) {
          started = List.copyOf(threads);
        }
        for (Thread thread : started) {
          thread.join(GUARD_MILLIS);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("echo server did not close cleanly", e);
      }
    }
  }
}
