package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.proxy.ProxyServer;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and starts a {@link FaultProxy}. Made by {@link FaultProxy#builder(String, int)}.
 *
 * <pre>{@code
 * FaultProxy proxy = FaultProxy.builder("db.internal", 5432)
 *     .listenPort(15432)                      // default: a free port
 *     .connectTimeout(Duration.ofSeconds(2))  // default: 5 seconds
 *     .start();
 * }</pre>
 *
 * <p>Not thread-safe: configure on one thread. {@link #start()} may be called again for another proxy.
 */
public final class FaultProxyBuilder {
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String targetHost;
  private final int targetPort;
  private int listenPort;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

  FaultProxyBuilder(String targetHost, int targetPort) {
    Objects.requireNonNull(targetHost, "targetHost");
    if (targetHost.isBlank()) {
      throw new IllegalArgumentException("targetHost must not be blank");
    }
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be in 1..65535: " + targetPort);
    }
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /**
   * The port to listen on; 0 (the default) picks a free one.
   *
   * @throws IllegalArgumentException if {@code port} is outside 0..65535
   */
  public FaultProxyBuilder listenPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listenPort must be in 0..65535: " + port);
    }
    this.listenPort = port;
    return this;
  }

  /**
   * How long the proxy waits to connect to the target for each new client before resetting that client.
   *
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is not positive or exceeds {@link Integer#MAX_VALUE}
   *     milliseconds
   */
  public FaultProxyBuilder connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("connectTimeout must be positive and below 24 days: " + timeout);
    }
    this.connectTimeout = timeout;
    return this;
  }

  /**
   * Binds {@code 127.0.0.1} and starts accepting, in pass-through mode.
   *
   * @throws java.io.UncheckedIOException if the port cannot be bound (for example, it is in use)
   */
  public FaultProxy start() {
    return new FaultProxy(ProxyServer.start(targetHost, targetPort, listenPort, connectTimeout));
  }
}
