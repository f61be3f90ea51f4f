package dev.holdfast.micrometer;

import dev.holdfast.CircuitState;
import dev.holdfast.Guard;
import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Records holdfast's {@link GuardEvent}s as Micrometer meters: a timer for calls and one for attempts, counters for
 * retries, give-ups, safe results and last-known-good hits; {@link #bindTo(Holdfast)} adds gauges for the circuit
 * breaker, the retry budget and the bulkhead. Tags are low-cardinality only: backend, operation, outcome, exception
 * (a simple class name), code (SQLSTATE, PostgREST or {@code HF_} code), reason and provenance — never a parameter
 * value, key or token. Thread-safe; one instance may serve several {@link Holdfast} instances of different backends.
 *
 * <pre>{@code
 * HoldfastMetrics metrics = HoldfastMetrics.create(registry);
 * Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(url)).listener(metrics).build();
 * metrics.bindTo(db);
 * }</pre>
 *
 * <p>Meter handles are looked up once per backend, operation and tag combination and then reused, so recording an
 * event builds no tag lists. A meter removed from the registry afterwards is not recreated. Gauges hold their guard
 * weakly, as Micrometer's gauges do; two guards of the same backend name bound to one registry share the gauges of
 * the first (give them different {@link Builder#tags common tags} through separate instances).
 */
public final class HoldfastMetrics implements GuardListener {
  private final MeterRegistry registry;
  private final Tags tags;
  private final boolean histogram;
  private final double[] percentiles;
  private final ConcurrentMap<String, ConcurrentMap<String, OperationMeters>> meters = new ConcurrentHashMap<>();

  private HoldfastMetrics(Builder b) {
    this.registry = b.registry;
    this.tags = b.tags;
    this.histogram = b.histogram;
    this.percentiles = b.percentiles.clone();
  }

  /**
   * Meters on {@code registry}, without common tags, percentiles or histograms.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static HoldfastMetrics create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /**
   * A builder of meters on {@code registry}.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public void on(GuardEvent event) {
    if (event instanceof GuardEvent.AttemptSucceeded e) {
      meters(e.backend(), e.operation()).attemptSucceeded(e.latency());
    } else if (event instanceof GuardEvent.AttemptFailed e) {
      meters(e.backend(), e.operation()).attemptFailed(e.error(), e.latency());
    } else if (event instanceof GuardEvent.RetryScheduled e) {
      meters(e.backend(), e.operation()).retryScheduled(e.error());
    } else if (event instanceof GuardEvent.CallSucceeded e) {
      meters(e.backend(), e.operation()).callSucceeded(e.latency());
    } else if (event instanceof GuardEvent.CallFailed e) {
      meters(e.backend(), e.operation()).callFailed(e.outcome(), e.error(), e.latency());
    } else if (event instanceof GuardEvent.SafeResultServed e) {
      meters(e.backend(), e.operation()).safeResultServed(e.source(), e.error());
    }
    // CallStarted and AttemptStarted carry nothing to count: latencies come with the end events. Breaker
    // transitions are read by the holdfast.circuit.state gauge that bindTo registers.
  }

  /**
   * Registers gauges for {@code holdfast}'s guard; see {@link #bindTo(Guard)}.
   *
   * @throws NullPointerException if {@code holdfast} is null
   */
  public void bindTo(Holdfast holdfast) {
    bindTo(Objects.requireNonNull(holdfast, "holdfast").guard());
  }

  /**
   * Registers gauges for {@code guard}'s shared parts, each only if its policy has that part: {@code
   * holdfast.circuit.state} (1 for the breaker's current state, 0 for the others), {@code
   * holdfast.retry.budget.tokens}, {@code holdfast.bulkhead.permits.in.use} and {@code holdfast.bulkhead.permits.max}.
   * Idempotent.
   *
   * @throws NullPointerException if {@code guard} is null
   */
  public void bindTo(Guard guard) {
    Objects.requireNonNull(guard, "guard");
    Tags backend = tags.and("backend", guard.backend());
    if (guard.circuitState() != CircuitState.DISABLED) {
      for (CircuitState state : new CircuitState[] {CircuitState.CLOSED, CircuitState.OPEN, CircuitState.HALF_OPEN}) {
        Gauge.builder("holdfast.circuit.state", guard, g -> g.circuitState() == state ? 1 : 0)
            .tags(backend).tag("state", tagValue(state))
            .description("1 for the circuit breaker's current state, 0 for the others")
            .register(registry);
      }
    }
    if (guard.retryBudgetTokens().isPresent()) {
      Gauge.builder("holdfast.retry.budget.tokens", guard, g -> g.retryBudgetTokens().orElse(Double.NaN))
          .tags(backend).description("Tokens left in the retry budget").register(registry);
    }
    if (guard.bulkheadPermitsInUse().isPresent()) {
      Gauge.builder("holdfast.bulkhead.permits.in.use", guard,
              g -> g.bulkheadPermitsInUse().isPresent() ? g.bulkheadPermitsInUse().getAsInt() : Double.NaN)
          .tags(backend).description("Bulkhead permits taken: attempts in flight").register(registry);
      Gauge.builder("holdfast.bulkhead.permits.max", guard,
              g -> g.bulkheadMaxPermits().isPresent() ? g.bulkheadMaxPermits().getAsInt() : Double.NaN)
          .tags(backend).description("The bulkhead's most permits").register(registry);
    }
  }

  private OperationMeters meters(String backend, String operation) {
    ConcurrentMap<String, OperationMeters> ofBackend = meters.get(backend);
    if (ofBackend == null) {
      ofBackend = meters.computeIfAbsent(backend, b -> new ConcurrentHashMap<>());
    }
    OperationMeters found = ofBackend.get(operation);
    if (found == null) {
      found = ofBackend.computeIfAbsent(operation,
          o -> new OperationMeters(registry, tags.and(Tag.of("backend", backend), Tag.of("operation", o)),
              histogram, percentiles));
    }
    return found;
  }

  static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Builds {@link HoldfastMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private boolean histogram;
    private double[] percentiles = new double[0];

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Tags added to every meter, such as {@code application} or {@code datasource}; default none. Keep them
     * low-cardinality.
     *
     * @throws NullPointerException if {@code tags} is null
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /** Whether the call and attempt timers publish a histogram (for server-side percentiles); default off. */
    public Builder histogram(boolean enabled) {
      this.histogram = enabled;
      return this;
    }

    /**
     * Client-side percentiles the call and attempt timers publish, such as {@code 0.5, 0.99}; default none.
     *
     * @throws IllegalArgumentException if a percentile is not in [0, 1]
     */
    public Builder percentiles(double... percentiles) {
      for (double p : percentiles) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("a percentile is in [0, 1], not " + p);
        }
      }
      this.percentiles = percentiles.clone();
      return this;
    }

    /** The listener. */
    public HoldfastMetrics build() {
      return new HoldfastMetrics(this);
    }
  }
}
