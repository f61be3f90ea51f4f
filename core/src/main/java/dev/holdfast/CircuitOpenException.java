package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * The backend's circuit breaker is open after a run of transient failures, so the call (or its next retry) was not
 * sent. A {@link TransientException}: try again later, at the earliest after {@link #nextTrialIn()}.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class CircuitOpenException extends TransientException {
  private static final long serialVersionUID = 1L;

  private final Duration nextTrialIn;

  /**
   * A rejection whose next trial time is unknown; {@link #requestSent()} is the cause's (false without a transient
   * cause: the rejection itself sent nothing).
   *
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public CircuitOpenException(String message, ErrorDetails details, Throwable cause) {
    this(message, details, cause, sentPerCause(cause, false), Duration.ZERO);
  }

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the last attempt's failure when the breaker opened under a retrying call, or null
   * @param requestSent whether an earlier attempt of the call may have reached the server
   * @param nextTrialIn how long until the breaker lets the next trial call through; zero when trial calls are
   *     already in progress (or the time is unknown)
   * @throws NullPointerException if {@code nextTrialIn} is null
   */
  public CircuitOpenException(String message, ErrorDetails details, Throwable cause, boolean requestSent,
      Duration nextTrialIn) {
    super(message, details, cause, requestSent, positiveOrNull(nextTrialIn));
    this.nextTrialIn = nextTrialIn;
  }

  /**
   * How long, when this was thrown, until the breaker lets the next trial call through (at the latest: a
   * background probe that finds the backend answering closes it sooner). Zero when trial calls are in progress.
   * Also given as {@link #retryAfter()}.
   */
  public Duration nextTrialIn() {
    return nextTrialIn;
  }

  private static Duration positiveOrNull(Duration d) {
    Objects.requireNonNull(d, "nextTrialIn");
    return d.isZero() || d.isNegative() ? null : d;
  }
}
