package dev.holdfast;

import java.time.Duration;

/** A probe that reports a backend's health within a time bound. Implementations are thread-safe. */
@FunctionalInterface
public interface HealthCheck {
  /** Probes the backend, taking at most about {@code timeout}; never throws for a backend failure (DOWN). */
  HealthReport check(Duration timeout);
}
