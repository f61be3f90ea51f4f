package dev.holdfast.internal;

import dev.failsafe.CircuitBreaker;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.CircuitState;
import dev.holdfast.GuardEvent;
import dev.holdfast.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A guard's circuit breaker: Failsafe's count-based {@link CircuitBreaker} decides when to open and close, and the
 * guard's {@link Scheduler} clock decides when an open breaker lets trial calls through. Thread-safe.
 *
 * <p>Failsafe measures its open delay with {@link System#nanoTime()}, which a test cannot move. So the Failsafe
 * breaker is given a delay that never elapses on its own, the moment it opens is read from the guard's clock (in its
 * {@code onOpen} listener), and this gate calls {@link CircuitBreaker#halfOpen()} itself once that clock says
 * {@code openDelay} has passed. Opening (inside {@link #recordFailure()}) and the half-open check run under this
 * gate's monitor, so a thread can never see the breaker open with the previous opening's timestamp and half-open
 * it early. The closed state, where calls spend their lives, takes no lock.
 *
 * <p>Only transient failures count as failures: callers record every other outcome (a success, a conflict, a
 * missing table) with {@link #recordSuccess()}, because the backend answered; this also returns the permit of a
 * half-open trial call.
 */
public final class CircuitBreakerGate {
  /** Failsafe's own open delay: about 292 years, so only this gate moves the breaker to half-open. */
  private static final Duration NEVER = Duration.ofNanos(Long.MAX_VALUE);

  private final CircuitBreaker<Object> breaker;
  private final Scheduler clock;
  private final Duration openDelay;
  private volatile long openedAt;

  /**
   * A closed breaker for {@code backend}.
   *
   * @param events receives CircuitOpened, CircuitHalfOpened and CircuitClosed
   */
  public CircuitBreakerGate(String backend, CircuitBreakerSettings settings, Scheduler clock,
      Consumer<GuardEvent> events) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.openDelay = settings.openDelay();
    this.breaker = CircuitBreaker.builder()
        .withFailureThreshold(settings.failureThreshold(), settings.window())
        // Capacity == threshold: every trial call must succeed, so they succeed "in a row".
        .withSuccessThreshold(settings.successThreshold())
        .withDelay(NEVER)
        .onOpen(e -> {
          openedAt = clock.nanoTime();
          events.accept(new GuardEvent.CircuitOpened(backend, openDelay));
        })
        .onHalfOpen(e -> events.accept(new GuardEvent.CircuitHalfOpened(backend)))
        .onClose(e -> events.accept(new GuardEvent.CircuitClosed(backend)))
        .build();
  }

  /**
   * Whether a call may go to the backend now; when half-open, takes one of the trial permits, which the call's
   * {@link #recordSuccess()} or {@link #recordFailure()} returns.
   */
  public boolean tryAcquirePermit() {
    if (breaker.isClosed()) {
      return true;
    }
    synchronized (this) {
      if (breaker.isOpen() && remainingOpen().isZero()) {
        breaker.halfOpen();
      }
      return breaker.tryAcquirePermit();
    }
  }

  /** Whether the breaker is open and will still be when {@code after} has passed: a call then would be rejected. */
  public boolean rejectsAfter(Duration after) {
    return breaker.isOpen() && remainingOpen().compareTo(after) > 0;
  }

  /** How long until an open breaker lets trial calls through; zero unless open. */
  public Duration remainingOpen() {
    if (!breaker.isOpen()) {
      return Duration.ZERO;
    }
    long left = openDelay.toNanos() - (clock.nanoTime() - openedAt);
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** Records a call that reached the backend and got an answer (anything but a transient failure). */
  public void recordSuccess() {
    breaker.recordSuccess();
  }

  /** Records a transient failure; may open the breaker. */
  public synchronized void recordFailure() {
    breaker.recordFailure();
  }

  /**
   * The state as callers see it: an open breaker whose delay has passed on the guard's clock reports
   * {@link CircuitState#HALF_OPEN}, because the next call will be a trial (it moves the Failsafe breaker then).
   */
  public CircuitState state() {
    return switch (breaker.getState()) {
      case CLOSED -> CircuitState.CLOSED;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      case OPEN -> remainingOpen().isZero() ? CircuitState.HALF_OPEN : CircuitState.OPEN;
    };
  }

  /** Whether a background probe may let trial calls through before the open delay has passed. */
  public boolean probed() {
    return false;
  }

  /** The delay an open breaker waits before trial calls. */
  public Duration openDelay() {
    return openDelay;
  }
}
