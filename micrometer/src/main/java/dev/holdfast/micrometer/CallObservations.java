package dev.holdfast.micrometer;

import io.micrometer.observation.Observation;
import java.util.Arrays;

/**
 * One call's observation and those of its attempts still running, by attempt number: after an async attempt
 * outlived its timeout the next one may start before it comes back. Thread-safe.
 */
final class CallObservations {
  final Observation call;
  private Observation[] attempts = new Observation[4];

  CallObservations(Observation call) {
    this.call = call;
  }

  synchronized void attemptStarted(int attempt, Observation observation) {
    if (attempt >= attempts.length) {
      attempts = Arrays.copyOf(attempts, Math.max(attempt + 1, attempts.length * 2));
    }
    attempts[attempt] = observation;
  }

  synchronized Observation attempt(int attempt) {
    return attempt < attempts.length ? attempts[attempt] : null;
  }

  /** Removes and returns the attempt's observation, or null. */
  synchronized Observation attemptEnded(int attempt) {
    if (attempt >= attempts.length) {
      return null;
    }
    Observation observation = attempts[attempt];
    attempts[attempt] = null;
    return observation;
  }
}
