package dev.holdfast;

import java.util.Objects;
import java.util.Optional;

/**
 * Describes one guarded call: a name for logs and events, its {@link Effect}, and optionally a policy that
 * overrides the guard's own for this call (the guard's circuit breaker, budget and bulkhead still apply).
 * Immutable and thread-safe.
 *
 * @param operation a short, non-blank name such as {@code tasks.findById}, used in logs, events, meters and
 *     spans: name what the call does, never the values it carries
 * @param effect what the call does to the backend
 * @param policy a policy for this call only, or null for the guard's
 */
public record Call(String operation, Effect effect, ResiliencePolicy policy) {
  public Call {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(effect, "effect");
    if (operation.isBlank()) {
      throw new IllegalArgumentException("operation is blank: name the call, such as tasks.findById");
    }
  }

  /** A read. */
  public static Call read(String operation) {
    return new Call(operation, Effect.READ, null);
  }

  /** A write that is safe to repeat. */
  public static Call idempotentWrite(String operation) {
    return new Call(operation, Effect.IDEMPOTENT_WRITE, null);
  }

  /** A write that may not be repeated. */
  public static Call write(String operation) {
    return new Call(operation, Effect.WRITE, null);
  }

  /** A copy that runs under {@code policy} instead of the guard's policy. */
  public Call withPolicy(ResiliencePolicy policy) {
    return new Call(operation, effect, Objects.requireNonNull(policy, "policy"));
  }

  /** The policy override, when there is one. */
  public Optional<ResiliencePolicy> policyOverride() {
    return Optional.ofNullable(policy);
  }
}
