package dev.holdfast;

import dev.holdfast.internal.LoggingListener;

/**
 * Receives {@link GuardEvent}s: what meters, spans and logs are made from. Called on the thread where the event
 * happened; must be fast and must not throw (a throwing listener is logged and ignored, and never changes a call's
 * outcome). The {@link #logging()} listener is installed on every guard. See {@link GuardEvent} for the order of a
 * call's events and {@link GuardedCall} for keeping state per call.
 *
 * <p>A sketch of a metrics-and-tracing listener (Micrometer's Observation API): one observation per call, a child
 * per attempt, the attempt's observation current on the thread that runs the attempt.
 * <pre>{@code
 * class ObservingListener implements GuardListener {
 *   public void on(GuardEvent event) {
 *     if (event instanceof GuardEvent.CallStarted e) {
 *       e.call().put("call", Observation.start("holdfast.call", registry));
 *     } else if (event instanceof GuardEvent.AttemptStarted e) {
 *       e.call().put("attempt", Observation.createNotStarted("holdfast.attempt", registry)
 *           .parentObservation(e.call().get("call", Observation.class)).start());
 *     } else if (event instanceof GuardEvent.AttemptFailed e) {
 *       Observation attempt = e.call().get("attempt", Observation.class);
 *       attempt.error(e.error());
 *       attempt.stop();
 *     } else if (event instanceof GuardEvent.CallSucceeded e) {
 *       e.call().get("call", Observation.class).stop();
 *     } // ... AttemptSucceeded, CallFailed alike
 *   }
 *
 *   public Scope attemptScope(GuardEvent.AttemptStarted e) {
 *     Observation.Scope scope = e.call().get("attempt", Observation.class).openScope();
 *     return scope::close;
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GuardListener {
  /** Handles {@code event}. */
  void on(GuardEvent event);

  /**
   * Called on the thread that runs an attempt, after {@link GuardEvent.AttemptStarted} was delivered and just
   * before the attempt runs; the scope is closed on that same thread as soon as the attempt returns or throws,
   * whatever the guard has decided meanwhile (an async attempt that outlived its timeout closes its scope only when
   * it finally comes back). For state bound to the attempt's thread: a tracing scope, a logging MDC. Default: none.
   */
  default Scope attemptScope(GuardEvent.AttemptStarted attempt) {
    return Scope.NONE;
  }

  /**
   * Logs events once through SLF4J (logger {@code dev.holdfast.Guard}): failed attempts, scheduled retries and
   * failed calls at DEBUG (the caller receives the failure), breaker transitions at WARN/INFO. Messages carry no
   * secrets. While its logger is not at DEBUG it makes the guard build no call events at all.
   */
  static GuardListener logging() {
    return new LoggingListener();
  }

  /** Thread-bound state opened for one attempt, closed on the same thread. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that does nothing. */
    Scope NONE = () -> {};

    /** Closes the scope; must not throw. */
    @Override
    void close();
  }
}
