package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * When a backend's circuit breaker opens and closes. It counts only transient failures: a duplicate key or a
 * missing table says nothing about the backend's health, so any answer other than a transient failure counts as a
 * success. The open delay is measured on the guard's {@link Scheduler}. Immutable and thread-safe.
 *
 * @param failureThreshold transient failures, among the last {@code window} calls, that open the breaker
 * @param window how many recent calls are counted
 * @param openDelay how long the breaker stays open before letting trial calls through (half-open)
 * @param successThreshold trial calls that must succeed, in a row, to close it again
 */
public record CircuitBreakerSettings(int failureThreshold, int window, Duration openDelay, int successThreshold) {
  public CircuitBreakerSettings {
    Objects.requireNonNull(openDelay, "openDelay");
    if (failureThreshold < 1 || window < failureThreshold) {
      throw new IllegalArgumentException("need 1 <= failureThreshold <= window");
    }
    if (successThreshold < 1 || openDelay.isNegative()) {
      throw new IllegalArgumentException("need successThreshold >= 1 and openDelay >= 0");
    }
  }

  /** Opens after 5 transient failures among the last 10 calls, for 30 seconds; one success closes it. */
  public static CircuitBreakerSettings defaults() {
    return new CircuitBreakerSettings(5, 10, Duration.ofSeconds(30), 1);
  }
}
