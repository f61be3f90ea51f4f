package dev.holdfast.benchmarks.jmh;

import dev.holdfast.Call;
import dev.holdfast.Guard;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.micrometer.HoldfastMetrics;
import dev.holdfast.micrometer.HoldfastObservations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
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
 * What holdfast-micrometer's listeners add to a call that succeeds at once, over a guard with the default policy
 * whose attempt is a no-op (see {@link CoreOverheadBenchmark}, whose {@code holdfastDefaultsListened} is the
 * baseline: the events made, heard by a listener that does nothing).
 *
 * <ul>
 *   <li>{@code metrics}: {@link HoldfastMetrics} on a {@link SimpleMeterRegistry}: two timer records per call,
 *       handles looked up without building tags;</li>
 *   <li>{@code observationsNoop}: {@link HoldfastObservations} on a registry without handlers: nothing made;</li>
 *   <li>{@code observations}: the same with one handler that does nothing: two observations per call, their
 *       contexts and key values, the attempt's scope.</li>
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
public class MicrometerOverheadBenchmark {
  private static final Call CALL = Call.read("bench.findById");

  private final Object value = new Object();
  private Guard listened;
  private Guard metrics;
  private Guard observationsNoop;
  private Guard observations;
  private long heard;

  @Setup(Level.Trial)
  public void setUp() {
    listened = guard().listener(event -> heard++).build();
    metrics = guard().listener(HoldfastMetrics.create(new SimpleMeterRegistry())).build();
    observationsNoop = guard().listener(HoldfastObservations.create(ObservationRegistry.create())).build();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
    observations = guard().listener(HoldfastObservations.create(registry)).build();
  }

  private static Guard.Builder guard() {
    return Guard.builder("jdbc").policy(ResiliencePolicy.defaults()).classifiersFromClassPath(false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    listened.close();
    metrics.close();
    observationsNoop.close();
    observations.close();
  }

  private Object noop() {
    return value;
  }

  @Benchmark
  public Object listened() {
    return listened.call(CALL, ctx -> noop());
  }

  @Benchmark
  public Object metrics() {
    return metrics.call(CALL, ctx -> noop());
  }

  @Benchmark
  public Object observationsNoop() {
    return observationsNoop.call(CALL, ctx -> noop());
  }

  @Benchmark
  public Object observations() {
    return observations.call(CALL, ctx -> noop());
  }
}
