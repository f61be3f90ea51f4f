package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.proxy.ProxyServer;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP proxy on {@code 127.0.0.1} that sits in front of a database (or any TCP server) and injects network
 * faults on command: added latency, refused connections, reset connections, a black hole, a stream cut after a
 * number of bytes. holdfast's own JDBC fault tests run through it, and it works in front of any server because it
 * only moves bytes: point the client at {@link #host()}:{@link #port()} instead of the server.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 5432)) {
 *   String url = "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres";
 *   proxy.blackHole();          // every byte is held: queries hang until the client's timeout
 *   proxy.heal();               // held bytes flow again, as after a healed partition
 *   proxy.resetAll();           // every open connection gets a TCP reset; new ones still work
 *   proxy.refuseNewConnections();
 * }
 * }</pre>
 *
 * <p>Exactly one {@link Fault} is in force at a time; installing one replaces the previous one. A fault applies
 * to connections that are already open as well as to new ones, from the next chunk of bytes that arrives.
 * {@link #resetAll()} is an action, not a fault: it leaves the installed fault in force.
 *
 * <p>Each connection uses two daemon threads named {@code holdfast-fault-proxy-<port>-...}; {@link #close()} ends
 * them and frees the port. This is a real-time tool: latency is really waited for, on the proxy's threads.
 *
 * <p>Thread-safe: faults may be switched from any thread while traffic flows.
 */
public final class FaultProxy implements AutoCloseable {
  private final ProxyServer server;

  FaultProxy(ProxyServer server) {
    // pgjdbc warns through java.util.logging about every connection a fault kills; that is this class's point.
    dev.holdfast.testkit.internal.QuietLogs.install();
    this.server = server;
  }

  /**
   * Starts a proxy to {@code targetHost:targetPort} on a free port of {@code 127.0.0.1}, passing traffic
   * through unchanged until a fault is installed. Shorthand for {@code builder(targetHost, targetPort).start()}.
   *
   * @throws NullPointerException if {@code targetHost} is null
   * @throws IllegalArgumentException if the host is blank or the port is outside 1..65535
   * @throws java.io.UncheckedIOException if the proxy cannot listen
   */
  public static FaultProxy start(String targetHost, int targetPort) {
    return builder(targetHost, targetPort).start();
  }

  /**
   * A builder for a proxy to {@code targetHost:targetPort}, for a fixed listening port or connect timeout.
   *
   * @throws NullPointerException if {@code targetHost} is null
   * @throws IllegalArgumentException if the host is blank or the port is outside 1..65535
   */
  public static FaultProxyBuilder builder(String targetHost, int targetPort) {
    return new FaultProxyBuilder(targetHost, targetPort);
  }

  /** The address clients connect to: always {@code "127.0.0.1"}. */
  public String host() {
    return server.host();
  }

  /** The port clients connect to. */
  public int port() {
    return server.port();
  }

  /** The host the proxy forwards to. */
  public String targetHost() {
    return server.targetHost();
  }

  /** The port the proxy forwards to. */
  public int targetPort() {
    return server.targetPort();
  }

  /** The fault in force now; {@link Fault.PassThrough} when healthy. */
  public Fault fault() {
    return server.fault();
  }

  /**
   * Installs {@code fault}, replacing the one in force; it applies to open connections from their next chunk.
   *
   * @throws NullPointerException if {@code fault} is null
   */
  public void inject(Fault fault) {
    server.inject(Objects.requireNonNull(fault, "fault"));
  }

  /** Back to passing traffic through unchanged; bytes held by a {@link #blackHole()} flow again. */
  public void heal() {
    inject(new Fault.PassThrough());
  }

  /**
   * Delays every chunk of bytes by {@code delay} in both directions, so a request/response round trip takes at
   * least twice as long. Use {@link #inject} with {@link Fault.Latency} to slow one direction only.
   *
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void latency(Duration delay) {
    inject(new Fault.Latency(delay, Direction.BOTH));
  }

  /**
   * Makes new connections fail at once: each is accepted and immediately reset, before anything reaches the
   * target, so a client sees "connection reset" (or end of stream) on its first read or write. Connections that
   * are already open keep working.
   */
  public void refuseNewConnections() {
    inject(new Fault.RefuseNewConnections());
  }

  /**
   * Holds every byte in both directions, on open and new connections, without closing anything: clients hang
   * until their own timeouts, and new connections are accepted but not forwarded to the target, as in a network
   * partition. {@link #heal()} releases what was held, in order, as TCP would after the partition heals. A client
   * that gives up and closes meanwhile may stay counted in {@link #openConnections()} until then, because its
   * close is held too; {@link #resetAll()} drops such connections at once.
   */
  public void blackHole() {
    inject(new Fault.BlackHole());
  }

  /**
   * Lets each connection carry {@code bytes} more bytes from the target to the client, then cuts it: the client
   * receives exactly those bytes and then a reset. Use {@link #inject} with {@link Fault.CutAfterBytes} to cut
   * the other direction.
   *
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public void cutAfterBytes(long bytes) {
    inject(new Fault.CutAfterBytes(bytes, Direction.DOWNSTREAM));
  }

  /**
   * Aborts every open connection with a TCP reset on both sides (client and target), once. The installed fault
   * stays in force, so new connections work unless it says otherwise.
   */
  public void resetAll() {
    server.resetAll();
  }

  /** Connections accepted since start, including refused ones. */
  public long acceptedConnections() {
    return server.traffic().accepted();
  }

  /** Client connections open now (refused ones are never counted). */
  public int openConnections() {
    return server.openConnections();
  }

  /** Bytes forwarded from clients to the target since start. */
  public long bytesUpstream() {
    return server.traffic().bytes(Direction.UPSTREAM);
  }

  /** Bytes forwarded from the target to clients since start. */
  public long bytesDownstream() {
    return server.traffic().bytes(Direction.DOWNSTREAM);
  }

  /**
   * Stops listening, closes every connection with a reset, and waits for the proxy's threads to end. The port is
   * free when this returns. Idempotent.
   */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + host() + ":" + port() + " -> " + targetHost() + ":" + targetPort() + ", "
        + fault() + "]";
  }

  /** Which way bytes travel: {@code UPSTREAM} is client to target, {@code DOWNSTREAM} target to client. */
  public enum Direction {
    /** From the client to the target (requests). */
    UPSTREAM,
    /** From the target to the client (responses). */
    DOWNSTREAM,
    /** Both ways. */
    BOTH;

    /** Whether a fault scoped to this direction applies to bytes travelling {@code way}. */
    public boolean includes(Direction way) {
      return this == BOTH || this == way;
    }
  }

  /**
   * A fault a {@link FaultProxy} can impose: an immutable value, compared by its components. Install one with
   * {@link FaultProxy#inject}; read the one in force with {@link FaultProxy#fault()}.
   */
  public sealed interface Fault {
    /** No fault: bytes pass unchanged. */
    record PassThrough() implements Fault {}

    /**
     * Each chunk of bytes travelling in {@code direction} waits {@code delay} before it is forwarded.
     *
     * @param delay non-negative
     * @param direction where the delay applies
     */
    record Latency(Duration delay, Direction direction) implements Fault {
      /**
       * Validates the components.
       *
       * @throws NullPointerException if an argument is null
       * @throws IllegalArgumentException if {@code delay} is negative
       */
      public Latency {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(direction, "direction");
        if (delay.isNegative()) {
          throw new IllegalArgumentException("latency delay must not be negative: " + delay);
        }
      }
    }

    /** New connections are accepted and reset at once; open ones keep working. */
    record RefuseNewConnections() implements Fault {}

    /** Nothing moves in either direction and nothing is closed; new connections never reach the target. */
    record BlackHole() implements Fault {}

    /**
     * Each connection forwards {@code bytes} more bytes travelling in {@code direction} (counted together for
     * {@link Direction#BOTH}), then both of its sides are reset. The receiver gets exactly those bytes.
     *
     * @param bytes non-negative; 0 cuts at the first byte
     * @param direction which bytes count
     */
    record CutAfterBytes(long bytes, Direction direction) implements Fault {
      /**
       * Validates the components.
       *
       * @throws NullPointerException if {@code direction} is null
       * @throws IllegalArgumentException if {@code bytes} is negative
       */
      public CutAfterBytes {
        Objects.requireNonNull(direction, "direction");
        if (bytes < 0) {
          throw new IllegalArgumentException("cutAfterBytes must not be negative: " + bytes);
        }
      }
    }
  }
}
