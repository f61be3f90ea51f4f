package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt of a guarded call knows: its number and how long it may take. Backends apply {@link
 * #timeout()} to the request they send (a statement timeout, an HTTP call timeout), because a blocked socket
 * cannot be interrupted from outside. Immutable and thread-safe.
 *
 * @param operation the call's name
 * @param attempt the attempt's number, 1 for the first
 * @param timeout the most time this attempt may take: the smaller of the attempt timeout and what remains of
 *     the deadline
 */
public record CallContext(String operation, int attempt, Duration timeout) {
  public CallContext {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** A context for a single attempt bounded by {@code timeout}; for code that runs outside a guard. */
  public static CallContext of(String operation, Duration timeout) {
    return new CallContext(operation, 1, timeout);
  }
}
