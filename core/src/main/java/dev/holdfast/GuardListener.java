package dev.holdfast;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives {@link GuardEvent}s. Called on the thread where the event happened; must be fast and must not throw
 * (a throwing listener is logged and ignored). The {@link #logging()} listener is installed on every guard.
 */
@FunctionalInterface
public interface GuardListener {
  /** Handles {@code event}. */
  void on(GuardEvent event);

  /**
   * Logs each event once through SLF4J (logger {@code dev.holdfast.Guard}): attempt failures and scheduled
   * retries and giving up at DEBUG (the caller receives the failure), breaker transitions at
   * WARN/INFO. Messages carry no secrets.
   */
  static GuardListener logging() {
    Logger log = LoggerFactory.getLogger(Guard.class);
    return event -> {
      if (event instanceof GuardEvent.AttemptFailed e) {
        log.debug("[{}] {} attempt {} failed: {}", e.backend(), e.operation(), e.attempt(), e.error().getMessage());
      } else if (event instanceof GuardEvent.RetryScheduled e) {
        log.debug("[{}] {} retrying in {} ms (attempt {})", e.backend(), e.operation(), e.delay().toMillis(),
            e.nextAttempt());
      } else if (event instanceof GuardEvent.GaveUp e) {
        // DEBUG, not WARN: the failure is thrown to the caller (or logged once, with its key, by the safe layer),
        // and a library that both logs and throws makes every failure appear twice in the application's logs.
        log.debug("[{}] {} failed after {} attempt(s): {}", e.backend(), e.operation(), e.attempts(),
            e.error().getMessage());
      } else if (event instanceof GuardEvent.CircuitOpened e) {
        log.warn("[{}] circuit breaker opened for {} ms", e.backend(), e.openFor().toMillis());
      } else if (event instanceof GuardEvent.CircuitHalfOpened e) {
        log.info("[{}] circuit breaker half-open: letting trial calls through", e.backend());
      } else if (event instanceof GuardEvent.CircuitClosed e) {
        log.info("[{}] circuit breaker closed", e.backend());
      }
    };
  }
}
