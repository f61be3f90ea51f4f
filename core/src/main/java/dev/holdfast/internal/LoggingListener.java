package dev.holdfast.internal;

import dev.holdfast.Guard;
import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GuardListener#logging()}: one line per event that matters, no secrets. The dispatcher asks {@link
 * #wantsCallEvents()} so that a guard whose only listener is this one, with DEBUG off, builds no call events.
 * Stateless and thread-safe.
 */
public final class LoggingListener implements GuardListener {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  /** Whether call events would be logged: the logger is at DEBUG. */
  public boolean wantsCallEvents() {
    return LOG.isDebugEnabled();
  }

  @Override
  public void on(GuardEvent event) {
    if (event instanceof GuardEvent.AttemptFailed e) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("[{}] {} attempt {} failed after {} ms: {}", e.backend(), e.operation(), e.attempt(),
            e.latency().toMillis(), message(e.error()));
      }
    } else if (event instanceof GuardEvent.RetryScheduled e) {
      LOG.debug("[{}] {} retrying in {} ms (attempt {})", e.backend(), e.operation(), e.delay().toMillis(),
          e.nextAttempt());
    } else if (event instanceof GuardEvent.CallFailed e) {
      // DEBUG, not WARN: the failure is thrown to the caller (or logged once, with its key, by the safe layer),
      // and a library that both logs and throws makes every failure appear twice in the application's logs.
      if (LOG.isDebugEnabled()) {
        LOG.debug("[{}] {} failed ({}) after {} attempt(s) in {} ms: {}", e.backend(), e.operation(), e.outcome(),
            e.attempts(), e.latency().toMillis(), message(e.error()));
      }
    } else if (event instanceof GuardEvent.CircuitOpened e) {
      LOG.warn("[{}] circuit breaker opened for {} ms", e.backend(), e.openFor().toMillis());
    } else if (event instanceof GuardEvent.CircuitHalfOpened e) {
      LOG.info("[{}] circuit breaker half-open: letting trial calls through", e.backend());
    } else if (event instanceof GuardEvent.CircuitClosed e) {
      LOG.info("[{}] circuit breaker closed", e.backend());
    }
  }

  private static String message(Throwable error) {
    // A failure nobody classified did not pass through holdfast's redaction: name its type only.
    return error instanceof dev.holdfast.HoldfastException ? error.getMessage() : error.getClass().getName();
  }
}
