package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * When a backend's circuit breaker opens and how it finds out that the backend is back. It counts only transient
 * failures: a duplicate key or a missing table says nothing about the backend's health, so any answer other than a
 * transient failure counts as a success. Every time is measured on the guard's {@link Scheduler}. Immutable and
 * thread-safe.
 *
 * <p>The breaker opens after {@code failureThreshold} transient failures among the last {@code window} attempts.
 * While open, calls fail fast with {@link CircuitOpenException}. It stays open for {@code openDelay} the first time;
 * then it lets up to {@code trialCalls} trial calls through at once (half-open) and the other calls still fail
 * fast. {@code successThreshold} successful trials close it; a failed trial opens it again for twice the previous
 * delay, up to {@code maxOpenDelay}, so a backend that stays down receives about one trial per {@code maxOpenDelay}.
 * When the guard has a {@link HealthCheck} (a {@link Holdfast} uses its backend's) and {@code probeInterval} is
 * positive, a breaker that is not closed also runs that check every {@code probeInterval} on the scheduler, and
 * closes as soon as the backend answers it (UP or DEGRADED), however long the open delay has grown and even while a
 * trial call hangs: recovery then takes about one probe interval, while a backend that is still down receives one
 * cheap query per interval.
 *
 * <pre>{@code
 * CircuitBreakerSettings.defaults()
 *     .withOpenDelay(Duration.ofMillis(100), Duration.ofSeconds(2))
 *     .withProbe(Duration.ofMillis(500))
 * }</pre>
 *
 * @param failureThreshold transient failures, among the last {@code window} attempts, that open the breaker
 * @param window how many recent attempts are counted
 * @param openDelay how long the breaker stays open the first time before letting trial calls through
 * @param maxOpenDelay the longest open delay, reached by doubling after each failed trial; at least {@code
 *     openDelay} (equal: a fixed delay)
 * @param successThreshold trial calls that must succeed to close it again
 * @param trialCalls how many trial calls half-open lets through at once, at least {@code successThreshold}
 * @param probeInterval how often a breaker that is not closed runs the guard's health check; zero for no probe
 */
public record CircuitBreakerSettings(int failureThreshold, int window, Duration openDelay, Duration maxOpenDelay,
    int successThreshold, int trialCalls, Duration probeInterval) {
  public CircuitBreakerSettings {
    Objects.requireNonNull(openDelay, "openDelay");
    Objects.requireNonNull(maxOpenDelay, "maxOpenDelay");
    Objects.requireNonNull(probeInterval, "probeInterval");
    if (failureThreshold < 1 || window < failureThreshold) {
      throw new IllegalArgumentException("need 1 <= failureThreshold <= window: " + failureThreshold + ", " + window);
    }
    if (openDelay.isNegative() || maxOpenDelay.compareTo(openDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= openDelay <= maxOpenDelay: " + openDelay + ", " + maxOpenDelay);
    }
    if (successThreshold < 1 || trialCalls < successThreshold) {
      throw new IllegalArgumentException("need 1 <= successThreshold <= trialCalls: " + successThreshold + ", "
          + trialCalls);
    }
    if (probeInterval.isNegative()) {
      throw new IllegalArgumentException("probeInterval must not be negative: " + probeInterval);
    }
  }

  /**
   * A breaker with a fixed open delay, {@code successThreshold} trial calls at once and no probe: the settings
   * holdfast 0.1 had.
   */
  public CircuitBreakerSettings(int failureThreshold, int window, Duration openDelay, int successThreshold) {
    this(failureThreshold, window, openDelay, openDelay, successThreshold, successThreshold, Duration.ZERO);
  }

  /**
   * Opens after 5 transient failures among the last 10 attempts; open for 100 ms the first time, doubling after each
   * failed trial up to 2 s (the retry backoff's curve); one trial call at a time, one success closes it; probes the
   * backend every 500 ms while not closed. The README's configuration reference gives the measurements behind
   * these numbers: with the probe, recovery takes about one probe interval whatever the cap; without a health check
   * (a DAO wrapped with a bare policy) the cap bounds recovery after a long outage, at one trial call per 2 s.
   */
  public static CircuitBreakerSettings defaults() {
    return new CircuitBreakerSettings(5, 10, Duration.ofMillis(100), Duration.ofSeconds(2), 1, 1,
        Duration.ofMillis(500));
  }

  /**
   * A copy that opens after {@code failureThreshold} transient failures among the last {@code window} attempts.
   *
   * @throws IllegalArgumentException unless 1 &lt;= failureThreshold &lt;= window
   */
  public CircuitBreakerSettings withFailureThreshold(int failureThreshold, int window) {
    return new CircuitBreakerSettings(failureThreshold, window, openDelay, maxOpenDelay, successThreshold,
        trialCalls, probeInterval);
  }

  /**
   * A copy whose first open delay is {@code openDelay}, doubling after each failed trial up to {@code
   * maxOpenDelay}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException unless 0 &lt;= openDelay &lt;= maxOpenDelay
   */
  public CircuitBreakerSettings withOpenDelay(Duration openDelay, Duration maxOpenDelay) {
    return new CircuitBreakerSettings(failureThreshold, window, openDelay, maxOpenDelay, successThreshold,
        trialCalls, probeInterval);
  }

  /**
   * A copy that lets {@code trialCalls} trial calls through at once when half-open and closes after {@code
   * successThreshold} of them succeed.
   *
   * @throws IllegalArgumentException unless 1 &lt;= successThreshold &lt;= trialCalls
   */
  public CircuitBreakerSettings withTrialCalls(int successThreshold, int trialCalls) {
    return new CircuitBreakerSettings(failureThreshold, window, openDelay, maxOpenDelay, successThreshold,
        trialCalls, probeInterval);
  }

  /**
   * A copy that runs the guard's health check every {@code probeInterval} while the breaker is not closed; zero
   * turns the probe off.
   *
   * @throws NullPointerException if {@code probeInterval} is null
   * @throws IllegalArgumentException if it is negative
   */
  public CircuitBreakerSettings withProbe(Duration probeInterval) {
    return new CircuitBreakerSettings(failureThreshold, window, openDelay, maxOpenDelay, successThreshold,
        trialCalls, probeInterval);
  }

  /** A copy without the background probe: only trial calls end the open state. */
  public CircuitBreakerSettings withoutProbe() {
    return withProbe(Duration.ZERO);
  }
}
