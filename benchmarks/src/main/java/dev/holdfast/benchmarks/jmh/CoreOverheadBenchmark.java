package dev.holdfast.benchmarks.jmh;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.holdfast.Backoff;
import dev.holdfast.Call;
import dev.holdfast.Guard;
import dev.holdfast.ResiliencePolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Item 1: what wrapping a call costs when the call succeeds at once, which is the common case. The wrapped call
 * is a no-op (it returns a field, so the JIT cannot fold it away); the figures are the wrappers' own cost.
 *
 * <ul>
 *   <li>{@code direct}: the call itself;</li>
 *   <li>{@code failsafe}: bare Failsafe with the retry policy holdfast's defaults amount to (3 attempts,
 *       exponential backoff 100 ms to 2 s, jitter), executor built once;</li>
 *   <li>{@code holdfastRetryOnly}: a holdfast {@link Guard} with the same retry policy and nothing else (no
 *       breaker, no budget): the like-for-like comparison the goal is about;</li>
 *   <li>{@code holdfastDefaults}: a guard with {@link ResiliencePolicy#defaults()}: retry plus deadline, attempt
 *       timeout, circuit breaker and retry budget, as applications get it. Only the always-installed logging
 *       listener listens, at INFO, so no call events are made;</li>
 *   <li>{@code holdfastDefaultsListened}: the same with one more listener that does nothing: the cost of the
 *       events (CallStarted, AttemptStarted, AttemptSucceeded, CallSucceeded and the call's GuardedCall) when
 *       somebody listens.</li>
 * </ul>
 *
 * <p>Run with {@code -prof gc} to see the bytes each call allocates ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoreOverheadBenchmark {
  private static final Call CALL = Call.read("bench.noop");

  private final Object value = new Object();
  private FailsafeExecutor<Object> failsafe;
  private Guard retryOnly;
  private Guard defaults;
  private Guard listened;
  private long heard;

  @Setup(Level.Trial)
  public void setUp() {
    RetryPolicy<Object> retry = RetryPolicy.builder()
        .withMaxAttempts(3)
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .withJitter(0.25)
        .handle(RuntimeException.class)
        .build();
    failsafe = Failsafe.with(retry);
    ResiliencePolicy sameRetry = ResiliencePolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)))
        .withoutCircuitBreaker()
        .withoutRetryBudget()
        .build();
    retryOnly = Guard.builder("bench").policy(sameRetry).classifiersFromClassPath(false).build();
    defaults = Guard.builder("bench").policy(ResiliencePolicy.defaults()).classifiersFromClassPath(false).build();
    listened = Guard.builder("bench").policy(ResiliencePolicy.defaults()).classifiersFromClassPath(false)
        .listener(event -> heard++).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    retryOnly.close();
    defaults.close();
    listened.close();
  }

  private Object noop() {
    return value;
  }

  @Benchmark
  public Object direct() {
    return noop();
  }

  @Benchmark
  public Object failsafe() {
    return failsafe.get(this::noop);
  }

  @Benchmark
  public Object holdfastRetryOnly() {
    return retryOnly.call(CALL, ctx -> noop());
  }

  @Benchmark
  public Object holdfastDefaults() {
    return defaults.call(CALL, ctx -> noop());
  }

  @Benchmark
  public Object holdfastDefaultsListened() {
    return listened.call(CALL, ctx -> noop());
  }
}
