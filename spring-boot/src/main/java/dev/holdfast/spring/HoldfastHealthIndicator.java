package dev.holdfast.spring;

import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One backend's health for Actuator: {@link Holdfast#health(Duration)} (the backend's probe combined with its
 * circuit breaker), UP as UP, DOWN as DOWN, and DEGRADED as the configured status — UP by default, so that a
 * half-open breaker or a slow probe keeps the instance in service. The details carry holdfast's own status
 * ({@code holdfast: DEGRADED}), the probe's latency, its one-line detail, the breaker's state and the probe's
 * attributes (server version, pool counts), never a secret. Thread-safe.
 */
public final class HoldfastHealthIndicator implements HealthIndicator {
  private final Holdfast holdfast;
  private final Duration timeout;
  private final Status degraded;

  /**
   * @param holdfast the instance to probe
   * @param timeout how long one probe may take
   * @param degraded the status holdfast's DEGRADED is reported as
   */
  public HoldfastHealthIndicator(Holdfast holdfast, Duration timeout, Status degraded) {
    this.holdfast = Objects.requireNonNull(holdfast, "holdfast");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.degraded = Objects.requireNonNull(degraded, "degraded");
  }

  @Override
  public Health health() {
    HealthReport report = holdfast.health(timeout);
    Status status = switch (report.status()) {
      case UP -> Status.UP;
      case DEGRADED -> degraded;
      case DOWN -> Status.DOWN;
    };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("holdfast", report.status().name());
    details.put("backend", holdfast.backend().name());
    details.put("latency", report.latency().toMillis() + " ms");
    details.put("detail", report.detail());
    details.put("circuit", holdfast.guard().circuitState().name());
    holdfast.guard().retryBudgetTokens().ifPresent(t -> details.put("retryBudgetTokens", t));
    details.putAll(report.attributes());
    return Health.status(status).withDetails(details).build();
  }
}
