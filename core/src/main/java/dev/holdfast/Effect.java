package dev.holdfast;

/** What a call does to the backend, which decides when it may be retried. */
public enum Effect {
  /** Reads only; always safe to retry on a transient failure. */
  READ,
  /** Writes, but running it twice has the same effect as once (an upsert, an update or delete by id). */
  IDEMPOTENT_WRITE,
  /**
   * Writes, and running it twice may write twice (an insert). Retried only when the failure proves the request
   * never reached the server; otherwise the call ends in {@link UnknownOutcomeException}.
   */
  WRITE
}
