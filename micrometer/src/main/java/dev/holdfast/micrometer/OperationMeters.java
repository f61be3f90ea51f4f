package dev.holdfast.micrometer;

import dev.holdfast.CallOutcome;
import dev.holdfast.HoldfastException;
import dev.holdfast.SafeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one backend's operation, made on first use and then reused: recording looks a handle up by enum
 * ordinal and exception class, so the hot path builds no tags. Thread-safe.
 */
final class OperationMeters {
  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final Tags tags;
  private final boolean histogram;
  private final double[] percentiles;

  private volatile Timer callSucceeded;
  private volatile Timer attemptSucceeded;
  private volatile Counter lastKnownGoodHits;
  private final ConcurrentMap<Class<?>, Timer>[] callFailed;
  private final AtomicReferenceArray<Counter> giveUps = new AtomicReferenceArray<>(CallOutcome.values().length);
  private final ConcurrentMap<Class<?>, ConcurrentMap<String, Timer>> attemptFailed = new ConcurrentHashMap<>();
  private final ConcurrentMap<Class<?>, Counter> retries = new ConcurrentHashMap<>();
  private final ConcurrentMap<Class<?>, Counter>[] safeResults;

  @SuppressWarnings("unchecked")
  OperationMeters(MeterRegistry registry, Tags tags, boolean histogram, double[] percentiles) {
    this.registry = registry;
    this.tags = tags;
    this.histogram = histogram;
    this.percentiles = percentiles;
    this.callFailed = new ConcurrentMap[CallOutcome.values().length];
    for (int i = 0; i < callFailed.length; i++) {
      callFailed[i] = new ConcurrentHashMap<>();
    }
    this.safeResults = new ConcurrentMap[SafeResult.Source.values().length];
    for (int i = 0; i < safeResults.length; i++) {
      safeResults[i] = new ConcurrentHashMap<>();
    }
  }

  void callSucceeded(Duration latency) {
    Timer timer = callSucceeded;
    if (timer == null) {
      timer = callSucceeded = callTimer(CallOutcome.SUCCEEDED, NONE);
    }
    timer.record(latency);
  }

  void callFailed(CallOutcome outcome, Throwable error, Duration latency) {
    ConcurrentMap<Class<?>, Timer> byType = callFailed[outcome.ordinal()];
    Timer timer = byType.get(error.getClass());
    if (timer == null) {
      timer = byType.computeIfAbsent(error.getClass(), type -> callTimer(outcome, type.getSimpleName()));
    }
    timer.record(latency);
    Counter giveUp = giveUps.get(outcome.ordinal());
    if (giveUp == null) {
      // Two threads may both register: the registry returns the same counter to both.
      giveUp = Counter.builder("holdfast.giveups").tags(tags).tag("reason", HoldfastMetrics.tagValue(outcome))
          .description("Calls that failed for good, by reason").register(registry);
      giveUps.set(outcome.ordinal(), giveUp);
    }
    giveUp.increment();
  }

  void attemptSucceeded(Duration latency) {
    Timer timer = attemptSucceeded;
    if (timer == null) {
      timer = attemptSucceeded = attemptTimer("succeeded", NONE, NONE);
    }
    timer.record(latency);
  }

  void attemptFailed(Throwable error, Duration latency) {
    ConcurrentMap<String, Timer> byCode = attemptFailed.get(error.getClass());
    if (byCode == null) {
      byCode = attemptFailed.computeIfAbsent(error.getClass(), type -> new ConcurrentHashMap<>());
    }
    String code = error instanceof HoldfastException h ? h.code().orElse(NONE) : NONE;
    Timer timer = byCode.get(code);
    if (timer == null) {
      timer = byCode.computeIfAbsent(code, c -> attemptTimer("failed", error.getClass().getSimpleName(), c));
    }
    timer.record(latency);
  }

  void retryScheduled(HoldfastException error) {
    Counter counter = retries.get(error.getClass());
    if (counter == null) {
      counter = retries.computeIfAbsent(error.getClass(), type -> Counter.builder("holdfast.retries").tags(tags)
          .tag("exception", type.getSimpleName())
          .description("Retries scheduled, by the failure that caused them").register(registry));
    }
    counter.increment();
  }

  void safeResultServed(SafeResult.Source source, HoldfastException error) {
    Class<?> type = error == null ? Void.class : error.getClass();
    ConcurrentMap<Class<?>, Counter> byType = safeResults[source.ordinal()];
    Counter counter = byType.get(type);
    if (counter == null) {
      counter = byType.computeIfAbsent(type, t -> Counter.builder("holdfast.safe.results").tags(tags)
          .tag("provenance", HoldfastMetrics.tagValue(source))
          .tag("exception", t == Void.class ? NONE : t.getSimpleName())
          .description("Safe results, by where their value came from").register(registry));
    }
    counter.increment();
    if (source == SafeResult.Source.LAST_KNOWN_GOOD) {
      Counter hits = lastKnownGoodHits;
      if (hits == null) {
        hits = lastKnownGoodHits = Counter.builder("holdfast.last.known.good.hits").tags(tags)
            .description("Safe reads answered from the last-known-good cache").register(registry);
      }
      hits.increment();
    }
  }

  private Timer callTimer(CallOutcome outcome, String exception) {
    return timer("holdfast.calls", "Guarded calls, waits between attempts included")
        .tag("outcome", HoldfastMetrics.tagValue(outcome)).tag("exception", exception).register(registry);
  }

  private Timer attemptTimer(String outcome, String exception, String code) {
    return timer("holdfast.attempts", "Attempts of guarded calls")
        .tag("outcome", outcome).tag("exception", exception).tag("code", code).register(registry);
  }

  private Timer.Builder timer(String name, String description) {
    Timer.Builder b = Timer.builder(name).tags(tags).description(description).publishPercentileHistogram(histogram);
    return percentiles.length == 0 ? b : b.publishPercentiles(percentiles);
  }
}
