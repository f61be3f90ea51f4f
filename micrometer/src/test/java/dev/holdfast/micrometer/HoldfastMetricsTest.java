package dev.holdfast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Backoff;
import dev.holdfast.BulkheadSettings;
import dev.holdfast.Call;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.CircuitOpenException;
import dev.holdfast.LastKnownGood;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.RetryBudgetSettings;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.SafeResult;
import dev.holdfast.TransientException;
import dev.holdfast.testkit.contract.ContractItem;
import dev.holdfast.testkit.contract.ContractSchema;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HoldfastMetricsTest {
  private static final ResiliencePolicy POLICY = ResiliencePolicy.builder().maxAttempts(3)
      .backoff(Backoff.fixed(Duration.ofMillis(100))).withoutCircuitBreaker().build();
  private static final ResiliencePolicy SAFE = POLICY.toBuilder().maxAttempts(1).build();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HoldfastMetrics metrics = HoldfastMetrics.create(registry);
  private Fixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private Repository<ContractItem, Long> items(ResiliencePolicy policy) {
    fixture = new Fixture(policy, SAFE, metrics);
    metrics.bindTo(fixture.holdfast);
    return fixture.holdfast.repository(ContractSchema.ITEMS);
  }

  private Timer timer(String name, String operation, String... tags) {
    return registry.get(name).tags("backend", "memory", "operation", operation).tags(tags).timer();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void aSuccessfulCallIsOneCallAndOneAttempt() {
    Repository<ContractItem, Long> items = items(POLICY);

    items.findById(1L);
    items.findById(2L);

    Timer calls = timer("holdfast.calls", "contract_items.findById", "outcome", "succeeded", "exception", "none");
    assertThat(calls.count()).isEqualTo(2);
    assertThat(timer("holdfast.attempts", "contract_items.findById", "outcome", "succeeded", "exception", "none",
        "code", "none").count()).isEqualTo(2);
    assertThat(registry.find("holdfast.retries").meters()).isEmpty();
    assertThat(registry.find("holdfast.giveups").meters()).isEmpty();
    assertThat(registry.find("holdfast.calls").meters()).as("one handle, reused").hasSize(1);
  }

  @Test
  void aRetryThenSuccessCountsTheFailedAttemptByTypeAndCodeAndTheRetry() {
    Repository<ContractItem, Long> items = items(POLICY);
    fixture.failNext(1);

    items.findById(1L);

    assertThat(timer("holdfast.attempts", "contract_items.findById", "outcome", "failed",
        "exception", "TransientException", "code", "08006").count()).isEqualTo(1);
    assertThat(timer("holdfast.attempts", "contract_items.findById", "outcome", "succeeded").count()).isEqualTo(1);
    assertThat(counter("holdfast.retries", "operation", "contract_items.findById", "exception", "TransientException"))
        .isEqualTo(1);
    Timer calls = timer("holdfast.calls", "contract_items.findById", "outcome", "succeeded");
    assertThat(calls.count()).isEqualTo(1);
    assertThat(calls.totalTime(TimeUnit.MILLISECONDS)).as("the wait before the retry, on the guard's clock")
        .isEqualTo(100);
  }

  @Test
  void aCallThatRunsOutOfAttemptsIsAGiveUpByReason() {
    Repository<ContractItem, Long> items = items(POLICY);
    fixture.failNext(3);

    assertThat(catchThrowable(() -> items.findById(1L))).isInstanceOf(TransientException.class);

    assertThat(counter("holdfast.giveups", "operation", "contract_items.findById", "reason", "attempts_exhausted"))
        .isEqualTo(1);
    assertThat(timer("holdfast.calls", "contract_items.findById", "outcome", "attempts_exhausted",
        "exception", "TransientException").count()).isEqualTo(1);
    assertThat(timer("holdfast.attempts", "contract_items.findById", "outcome", "failed").count()).isEqualTo(3);
    assertThat(counter("holdfast.retries", "exception", "TransientException")).isEqualTo(2);
  }

  @Test
  void anOpenCircuitRejectsWithoutAnAttemptAndTheStateGaugeFollowsTheBreaker() {
    Repository<ContractItem, Long> items = items(POLICY.toBuilder().maxAttempts(1)
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofSeconds(1), 1).withoutProbe()).build());
    assertThat(registry.get("holdfast.circuit.state").tags("backend", "memory", "state", "closed").gauge().value())
        .isEqualTo(1);
    fixture.failNext(1);
    catchThrowable(() -> items.findById(1L));

    assertThat(catchThrowable(() -> items.findById(1L))).isInstanceOf(CircuitOpenException.class);

    assertThat(counter("holdfast.giveups", "reason", "circuit_open")).isEqualTo(1);
    assertThat(timer("holdfast.calls", "contract_items.findById", "outcome", "circuit_open",
        "exception", "CircuitOpenException").count()).isEqualTo(1);
    assertThat(registry.get("holdfast.attempts").timers()).as("the rejected call made no attempt")
        .extracting(Timer::count).containsExactly(1L);
    assertThat(registry.get("holdfast.circuit.state").tags("state", "open").gauge().value()).isEqualTo(1);
    assertThat(registry.get("holdfast.circuit.state").tags("state", "closed").gauge().value()).isZero();
    fixture.time.advance(Duration.ofSeconds(1));
    assertThat(registry.get("holdfast.circuit.state").tags("state", "half_open").gauge().value()).isEqualTo(1);
  }

  @Test
  void safeResultsAreCountedByProvenance() {
    items(POLICY);
    SafeKeyValueStore settings = fixture.holdfast.safeKeyValueStore(ContractSchema.KV_TABLE)
        .withLastKnownGood(LastKnownGood.of(100, Duration.ofMinutes(10)));
    settings.safeSet("theme", "dark");
    assertThat(settings.safeGet("theme", String.class, "light").source()).isEqualTo(SafeResult.Source.FRESH);
    fixture.failNext(1);
    assertThat(settings.safeGet("theme", String.class, "light").source())
        .isEqualTo(SafeResult.Source.LAST_KNOWN_GOOD);
    fixture.failNext(1);
    assertThat(settings.safeGet("font", String.class, "serif").source()).isEqualTo(SafeResult.Source.DEFAULT);

    assertThat(counter("holdfast.safe.results", "provenance", "fresh", "exception", "none")).isEqualTo(1);
    assertThat(counter("holdfast.safe.results", "provenance", "last_known_good", "exception", "TransientException"))
        .isEqualTo(1);
    assertThat(counter("holdfast.safe.results", "provenance", "default", "exception", "TransientException"))
        .isEqualTo(1);
    assertThat(counter("holdfast.last.known.good.hits")).isEqualTo(1);
  }

  @Test
  void noTagValueHoldsAKeyAValueOrAnId() {
    Repository<ContractItem, Long> items = items(POLICY);
    items.findById(987654321L);
    SafeKeyValueStore store = fixture.holdfast.safeKeyValueStore(ContractSchema.KV_TABLE);
    store.safeSet("api-token-s3cr3t", "Bearer eyJhbGciOiJIUzI1NiJ9");
    fixture.failNext(5);
    store.safeGet("api-token-s3cr3t", String.class, "fallback-s3cr3t");

    assertThat(registry.getMeters()).isNotEmpty();
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).as(meter.getId().toString())
            .doesNotContain("987654321", "s3cr3t", "eyJ", "Bearer", "dark", "fallback");
      }
    }
  }

  @Test
  void theBulkheadAndBudgetGaugesReadTheGuard() {
    items(POLICY.toBuilder().bulkhead(new BulkheadSettings(2, Duration.ZERO)).build());

    double inUse = fixture.holdfast.guard().call(Call.read("probe"),
        ctx -> registry.get("holdfast.bulkhead.permits.in.use").gauge().value());

    assertThat(inUse).as("during the attempt").isEqualTo(1);
    assertThat(registry.get("holdfast.bulkhead.permits.in.use").gauge().value()).isZero();
    assertThat(registry.get("holdfast.bulkhead.permits.max").gauge().value()).isEqualTo(2);
    fixture.failNext(3);
    catchThrowable(() -> fixture.holdfast.repository(ContractSchema.ITEMS).findById(1L));
    RetryBudgetSettings budget = RetryBudgetSettings.defaults();
    assertThat(registry.get("holdfast.retry.budget.tokens").tags("backend", "memory").gauge().value())
        .as("two retries paid, nothing given back").isEqualTo(budget.maxTokens() - 2 * budget.retryCost())
        .isEqualTo(fixture.holdfast.guard().retryBudgetTokens().getAsDouble());
  }

  @Test
  void commonTagsAndPercentilesAreOptIn() {
    HoldfastMetrics tuned = HoldfastMetrics.builder(registry).tags(Tags.of("application", "orders"))
        .percentiles(0.5, 0.99).build();
    fixture = new Fixture(POLICY, SAFE, tuned);

    fixture.holdfast.repository(ContractSchema.ITEMS).findById(1L);

    Timer calls = registry.get("holdfast.calls").tags("application", "orders").timer();
    assertThat(calls.takeSnapshot().percentileValues()).hasSize(2);
    assertThat(catchThrowable(() -> HoldfastMetrics.builder(registry).percentiles(99)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
