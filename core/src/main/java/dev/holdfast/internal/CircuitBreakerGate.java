package dev.holdfast.internal;

import dev.failsafe.CircuitBreaker;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.CircuitState;
import dev.holdfast.GuardEvent;
import dev.holdfast.HealthCheck;
import dev.holdfast.HealthReport;
import dev.holdfast.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guard's circuit breaker: Failsafe's count-based {@link CircuitBreaker} decides when to open and close and how
 * many trial calls half-open lets through; the guard's {@link Scheduler} clock decides when an open breaker lets
 * them through, and runs the background probe. Thread-safe.
 *
 * <p>Failsafe measures its open delay with {@link System#nanoTime()}, which a test cannot move. So the Failsafe
 * breaker is given a delay that never elapses on its own, the moment it opens is read from the guard's clock (in its
 * {@code onOpen} listener, which also picks this opening's delay: the first delay after a close, double the last
 * one after a failed trial, capped), and this gate calls {@link CircuitBreaker#halfOpen()} itself once that clock
 * says the delay has passed, and {@link CircuitBreaker#close()} once the probe finds the backend answering. Opening (inside {@link
 * #recordFailure()}), the half-open check and the probe's verdict run under this gate's monitor, so a thread can
 * never see the breaker open with the previous opening's timestamp and half-open it early. The closed state,
 * where calls spend their lives, takes no lock.
 *
 * <p>The probe is one chain of scheduled tasks at a time: started when the breaker opens, it runs the health check
 * every probe interval until the breaker is closed, by a successful trial or by the probe itself, which closes it
 * as soon as the check finds the backend answering (UP or DEGRADED). It goes on while the breaker is half-open,
 * because a trial call may hang until its attempt timeout (a pool waiting for a connection) while the backend is
 * already back.
 *
 * <p>Only transient failures count as failures: callers record every other outcome (a success, a conflict, a
 * missing table) with {@link #recordSuccess()}, because the backend answered; this also returns the permit of a
 * half-open trial call.
 */
public final class CircuitBreakerGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerGate.class);
  /** Failsafe's own open delay: about 292 years, so only this gate moves the breaker to half-open. */
  private static final Duration NEVER = Duration.ofNanos(Long.MAX_VALUE);

  private final String backend;
  private final CircuitBreaker<Object> breaker;
  private final Scheduler clock;
  private final Consumer<GuardEvent> events;
  private final long firstDelay;
  private final long maxDelay;
  private final HealthCheck probe;
  private final Duration probeInterval;
  private final Duration probeTimeout;
  private volatile long openedAt;
  private volatile long delay;
  // Guarded by this.
  private boolean probing;
  private boolean closed;
  private Scheduler.Cancellable pendingProbe;

  /**
   * A closed breaker for {@code backend}.
   *
   * @param probe the health check an open breaker runs, or null for none (then only trial calls end the open state)
   * @param probeTimeout how long one probe may take
   * @param events receives CircuitOpened, CircuitHalfOpened and CircuitClosed
   */
  public CircuitBreakerGate(String backend, CircuitBreakerSettings settings, Scheduler clock, HealthCheck probe,
      Duration probeTimeout, Consumer<GuardEvent> events) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.firstDelay = settings.openDelay().toNanos();
    this.maxDelay = settings.maxOpenDelay().toNanos();
    this.delay = firstDelay;
    boolean probed = probe != null && !settings.probeInterval().isZero();
    this.probe = probed ? probe : null;
    this.probeInterval = settings.probeInterval();
    this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
    this.breaker = CircuitBreaker.builder()
        .withFailureThreshold(settings.failureThreshold(), settings.window())
        // Capacity == trialCalls: at most that many trials at once; successThreshold of them must succeed.
        .withSuccessThreshold(settings.successThreshold(), settings.trialCalls())
        .withDelay(NEVER)
        .onOpen(e -> opened(e.getPreviousState() == CircuitBreaker.State.HALF_OPEN))
        .onHalfOpen(e -> events.accept(new GuardEvent.CircuitHalfOpened(backend)))
        .onClose(e -> events.accept(new GuardEvent.CircuitClosed(backend)))
        .build();
  }

  /** Runs under this gate's monitor, inside {@link #recordFailure()}: the only way the breaker opens. */
  private void opened(boolean afterFailedTrial) {
    long next = afterFailedTrial ? Math.min(maxDelay, Math.max(1, delay) * 2) : firstDelay;
    delay = next;
    openedAt = clock.nanoTime();
    events.accept(new GuardEvent.CircuitOpened(backend, Duration.ofNanos(next)));
    if (probe != null && !probing && !closed) {
      probing = true;
      scheduleProbe();
    }
  }

  /** Guarded by this. */
  private void scheduleProbe() {
    try {
      pendingProbe = clock.schedule(probeInterval, this::runProbe);
    } catch (RejectedExecutionException e) {
      // The scheduler was closed with the guard: nothing is left to probe for.
      probing = false;
    }
  }

  private void runProbe() {
    synchronized (this) {
      pendingProbe = null;
      if (closed || breaker.isClosed()) {
        probing = false;
        return;
      }
    }
    HealthReport.Status status;
    try {
      status = probe.check(probeTimeout).status();
    } catch (RuntimeException e) {
      // The SPI says a health check never throws for a backend failure; one that does reports nothing useful.
      LOG.debug("[{}] health probe threw; counting it as DOWN", backend, e);
      status = HealthReport.Status.DOWN;
    }
    synchronized (this) {
      if (closed || breaker.isClosed()) {
        probing = false;
        return;
      }
      if (status != HealthReport.Status.DOWN) {
        // The backend answers a query: let calls through now, without waiting out a delay that grew while it was
        // down, or for a trial call that may hang until its timeout. If calls fail again, the breaker reopens.
        probing = false;
        breaker.close();
        return;
      }
      scheduleProbe();
    }
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

  /** How long until an open breaker lets trial calls through (at the latest); zero unless open. */
  public Duration remainingOpen() {
    if (!breaker.isOpen()) {
      return Duration.ZERO;
    }
    long left = delay - (clock.nanoTime() - openedAt);
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
    return probe != null;
  }

  /** The current (or, when closed, the next) open delay. */
  public Duration openDelay() {
    return Duration.ofNanos(delay);
  }

  /** Stops the probe: cancels a pending one and lets a running one end without scheduling another. Idempotent. */
  @Override
  public void close() {
    Scheduler.Cancellable pending;
    synchronized (this) {
      closed = true;
      pending = pendingProbe;
      pendingProbe = null;
    }
    if (pending != null) {
      pending.cancel();
    }
  }
}
