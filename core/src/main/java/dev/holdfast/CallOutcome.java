package dev.holdfast;

/**
 * How a guarded call ended, as {@link GuardEvent.CallSucceeded} and {@link GuardEvent.CallFailed} report it: a
 * low-cardinality tag for meters and spans ("give-ups by reason").
 */
public enum CallOutcome {
  /** An attempt succeeded. */
  SUCCEEDED,
  /** The backend gave an answer no retry changes: a conflict, a missing row or table, bad credentials, a bad request. */
  FAILED,
  /** Transient failures until the policy's attempts ran out. */
  ATTEMPTS_EXHAUSTED,
  /** The call's deadline ran out while it retried transient failures ({@link DeadlineExceededException}). */
  DEADLINE_EXCEEDED,
  /** The circuit breaker rejected the call or its retry ({@link CircuitOpenException}). */
  CIRCUIT_OPEN,
  /** The retry budget refused a retry ({@link RetryBudgetExhaustedException}). */
  RETRY_BUDGET_EXHAUSTED,
  /** The bulkhead had no place ({@link BulkheadFullException}). */
  BULKHEAD_FULL,
  /** A non-idempotent write may or may not have been applied ({@link UnknownOutcomeException}). */
  UNKNOWN_OUTCOME,
  /** A failure no classifier recognised, rethrown unchanged; or the guard was closed under the call. */
  UNRECOGNISED,
  /** The calling thread was interrupted while the call waited. */
  INTERRUPTED,
  /** The caller cancelled the future of an async call. */
  CANCELLED
}
