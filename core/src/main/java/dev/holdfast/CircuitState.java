package dev.holdfast;

/** The state of a backend's circuit breaker. */
public enum CircuitState {
  /** Calls pass. */
  CLOSED,
  /** Calls are rejected with {@link CircuitOpenException} until the open delay has passed. */
  OPEN,
  /** A few trial calls pass; their outcome closes or re-opens the breaker. */
  HALF_OPEN,
  /** The policy has no circuit breaker. */
  DISABLED
}
