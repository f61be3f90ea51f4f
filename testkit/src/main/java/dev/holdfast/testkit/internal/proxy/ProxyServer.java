package dev.holdfast.testkit.internal.proxy;

import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.FaultProxy.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link FaultProxy}: the listening socket, its accept thread, the open connections and every
 * thread the proxy owns, so that {@link #close()} can end them all. Internal API: use {@link FaultProxy}.
 * Thread-safe.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final int connectTimeoutMillis;
  private final String threadPrefix;
  private final FaultState state = new FaultState();
  private final Traffic traffic = new Traffic();
  private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicLong connectionIds = new AtomicLong();
  private final Object closeLock = new Object();
  private final Object spawnLock = new Object();
  private volatile boolean closed;

  private ProxyServer(ServerSocket listener, String targetHost, int targetPort, Duration connectTimeout) {
    this.listener = listener;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    // Rounded up: a sub-millisecond timeout must not become 0, which Socket.connect reads as "wait forever".
    this.connectTimeoutMillis = (int) Math.max(1, (connectTimeout.toNanos() + 999_999) / 1_000_000);
    this.threadPrefix = "holdfast-fault-proxy-" + listener.getLocalPort();
  }

  /**
   * Binds {@code 127.0.0.1:listenPort} (0 for a free port) and starts accepting.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ProxyServer start(String targetHost, int targetPort, int listenPort, Duration connectTimeout) {
    ServerSocket listener = null;
    try {
      listener = new ServerSocket();
      // Lets a proxy restart on a port whose old connections linger in TIME_WAIT.
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), listenPort), 128);
    } catch (IOException e) {
      closeQuietly(listener);
      throw new UncheckedIOException("FaultProxy cannot listen on " + LOOPBACK + ":" + listenPort, e);
    }
    ProxyServer server = new ProxyServer(listener, targetHost, targetPort, connectTimeout);
    server.spawn(server.threadPrefix + "-acceptor", server::acceptLoop);
    return server;
  }

  public String host() {
    return LOOPBACK;
  }

  public int port() {
    return listener.getLocalPort();
  }

  public String targetHost() {
    return targetHost;
  }

  public int targetPort() {
    return targetPort;
  }

  public Fault fault() {
    return state.current().fault();
  }

  public void inject(Fault fault) {
    state.install(fault);
  }

  public Traffic traffic() {
    return traffic;
  }

  public int openConnections() {
    return connections.size();
  }

  /** Resets every connection open now; connections accepted meanwhile may survive. */
  public void resetAll() {
    for (ProxyConnection connection : List.copyOf(connections)) {
      connection.abort();
    }
  }

  /** Stops accepting, resets every connection and waits for every proxy thread to end. Idempotent. */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      synchronized (spawnLock) {
        closed = true;
      }
      closeQuietly(listener);
      resetAll();
      state.wakeAll();
      awaitThreads();
    }
  }

  private void awaitThreads() {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    // Loops because a thread may start another (the downstream pump) while we wait; spawn() refuses after close.
    while (!threads.isEmpty()) {
      for (Thread thread : List.copyOf(threads)) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          log.warn("FaultProxy on port {} closed, but its threads {} have not ended", port(), threads);
          return;
        }
        try {
          thread.join(TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (!thread.isAlive()) {
          threads.remove(thread);
        }
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          // Say, out of file descriptors: pause instead of spinning, and keep serving once it passes.
          log.warn("FaultProxy on port {} failed to accept a connection", port(), e);
          pauseAfterAcceptFailure();
        }
        continue;
      }
      traffic.recordAccepted();
      if (closed || fault() instanceof Fault.RefuseNewConnections) {
        ProxyConnection.reset(client);
        continue;
      }
      admit(client);
    }
  }

  private void admit(Socket client) {
    String name = threadPrefix + "-conn-" + connectionIds.incrementAndGet();
    ProxyConnection connection = new ProxyConnection(this, client, name);
    try {
      client.setTcpNoDelay(true);
    } catch (IOException e) {
      ProxyConnection.reset(client);
      return;
    }
    connections.add(connection);
    // Re-checked after registering, so that close() either sees this connection or we see close().
    if (closed || !spawn(name + "-up", connection::run)) {
      connection.abort();
    }
  }

  private static void pauseAfterAcceptFailure() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a daemon thread the proxy tracks and joins on close; returns false (and starts none) once closed. */
  boolean spawn(String name, Runnable body) {
    // One lock for checking closed, pruning, adding and starting: otherwise a concurrent spawn's prune could drop a
    // thread added but not yet started (not alive), and close() would never join it; and close() could flip
    // closed between our check and the start.
    synchronized (spawnLock) {
      if (closed) {
        return false;
      }
      threads.removeIf(thread -> !thread.isAlive());
      Thread thread = new Thread(body, name);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
      return true;
    }
  }

  void ended(ProxyConnection connection) {
    connections.remove(connection);
    state.wakeAll();
  }

  FaultState state() {
    return state;
  }

  int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  private static void closeQuietly(ServerSocket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort: the socket is gone either way.
    }
  }
}
