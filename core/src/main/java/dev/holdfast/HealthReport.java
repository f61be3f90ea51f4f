package dev.holdfast;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a bounded-time health probe. Immutable and thread-safe.
 *
 * @param status UP, DEGRADED or DOWN
 * @param latency how long the probe took
 * @param detail one line for people, without secrets (such as the server version or the failure)
 * @param attributes machine-readable facts such as {@code serverVersion} or {@code circuit}
 */
public record HealthReport(Status status, Duration latency, String detail, Map<String, String> attributes) {
  /** Overall health. */
  public enum Status {
    /** Working normally. */
    UP,
    /** Working, but slowly or with a breaker half-open. */
    DEGRADED,
    /** Not working. */
    DOWN
  }

  public HealthReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(latency, "latency");
    detail = Secrets.redact(Objects.requireNonNull(detail, "detail"));
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
  }

  /** A copy with {@code status}. */
  public HealthReport withStatus(Status status) {
    return new HealthReport(status, latency, detail, attributes);
  }
}
