package dev.holdfast.testkit.internal.proxy;

import dev.holdfast.testkit.FaultProxy.Direction;
import dev.holdfast.testkit.FaultProxy.Fault;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its connection to the target, moved by two {@link Pump}s. It ends once: gracefully
 * when both directions have seen end of stream, or by {@link #abort()} (a TCP reset on both sides) when either
 * side fails, a cut is due, or the proxy resets or closes it. Thread-safe.
 */
final class ProxyConnection {
  private static final Logger log = LoggerFactory.getLogger(ProxyConnection.class);

  private final ProxyServer server;
  private final Socket client;
  private final String name;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Socket target;
  private int finishedDirections;
  private long cutGeneration = -1;
  private long cutRemaining;

  ProxyConnection(ProxyServer server, Socket client, String name) {
    this.server = server;
    this.client = client;
    this.name = name;
  }

  /** How many of {@code bytes} may be forwarded now, and whether the connection must be cut after them. */
  record Allowance(int bytes, boolean cut) {}

  /**
   * The body of the connection's first thread: waits out a black hole, connects to the target, starts the
   * downstream pump and then pumps upstream itself.
   */
  void run() {
    FaultState state = server.state();
    if (state.awaitAdmission(this::isEnded) == null) {
      abort();
      return;
    }
    Socket socket = new Socket();
    // Published before connecting so that abort() can close it and end a slow connect at once.
    target = socket;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(server.targetHost(), server.targetPort()), server.connectTimeoutMillis());
    } catch (IOException e) {
      if (!isEnded()) {
        log.debug("{}: cannot connect to {}:{}, resetting the client", name, server.targetHost(),
            server.targetPort(), e);
      }
      abort();
      return;
    }
    if (!server.spawn(name + "-down", new Pump(this, Direction.DOWNSTREAM, socket, client)::run)) {
      abort();
      return;
    }
    new Pump(this, Direction.UPSTREAM, client, socket).run();
  }

  ProxyServer server() {
    return server;
  }

  boolean isEnded() {
    return ended.get();
  }

  /**
   * Decides how much of a chunk of {@code bytes} travelling {@code way} may pass under {@code now}. A cut fault
   * gives each connection a fresh budget the first time the connection meets that installation of it.
   */
  synchronized Allowance allow(FaultState.Installed now, Direction way, int bytes) {
    if (!(now.fault() instanceof Fault.CutAfterBytes cut) || !cut.direction().includes(way)) {
      return new Allowance(bytes, false);
    }
    if (cutGeneration != now.generation()) {
      cutGeneration = now.generation();
      cutRemaining = cut.bytes();
    }
    int allowed = (int) Math.min(bytes, cutRemaining);
    cutRemaining -= allowed;
    return new Allowance(allowed, cutRemaining == 0);
  }

  /**
   * Passes on an end of stream seen travelling {@code way} as a half-close, as TCP would; when both ways have
   * ended, closes both sockets normally.
   */
  void finish(Direction way) {
    Socket receiver = way == Direction.UPSTREAM ? target : client;
    try {
      receiver.shutdownOutput();
    } catch (IOException e) {
      abort();
      return;
    }
    boolean both;
    synchronized (this) {
      both = ++finishedDirections == 2;
    }
    if (both && ended.compareAndSet(false, true)) {
      closeQuietly(client);
      closeQuietly(target);
      server.ended(this);
    }
  }

  /** Ends the connection with a TCP reset on both sides. Idempotent. */
  void abort() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    reset(client);
    Socket socket = target;
    if (socket != null) {
      reset(socket);
    }
    server.ended(this);
  }

  /** Closes {@code socket} so that the peer gets a RST rather than a FIN: SO_LINGER on with a zero timeout. */
  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException alreadyClosed) {
      // Nothing to reset; close() below is then a no-op.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort: the socket is gone either way.
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
