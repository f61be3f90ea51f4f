package dev.holdfast.micrometer;

import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import dev.holdfast.GuardedCall;
import dev.holdfast.HoldfastException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Observes holdfast's calls through Micrometer's Observation API: one observation ({@code holdfast.call}) per call,
 * one child ({@code holdfast.attempt}) per attempt. With Micrometer Tracing (the OpenTelemetry or Brave bridge) they
 * become a span per call with a child span per attempt; see {@link DefaultHoldfastObservationConvention} for their
 * key values, which never hold parameter values, keys or tokens. Thread-safe.
 *
 * <pre>{@code
 * Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(url))
 *     .listener(HoldfastObservations.create(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>The call's observation starts on the caller's thread, so it is a child of the observation current there
 * (an incoming HTTP request's). Each attempt's observation is current on the thread that runs the attempt (through
 * {@link #attemptScope}), so what the driver or HTTP client observes nests under it. Per-call state lives on the
 * {@link GuardedCall}, never in a thread local: an async call's events come from several threads. Every
 * observation is stopped: an attempt when it succeeds or fails, the call when it succeeds, fails, gives up or is
 * rejected before any attempt. While the registry has no handler nothing is made.
 */
public final class HoldfastObservations implements GuardListener {
  private static final HoldfastObservationConvention DEFAULT = new DefaultHoldfastObservationConvention();

  private final ObservationRegistry registry;
  private final HoldfastObservationConvention convention;

  private HoldfastObservations(ObservationRegistry registry, HoldfastObservationConvention convention) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.convention = convention;
  }

  /**
   * Observations on {@code registry} with the {@link DefaultHoldfastObservationConvention default convention}
   * (unless the registry has a global one for holdfast's context).
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static HoldfastObservations create(ObservationRegistry registry) {
    return new HoldfastObservations(registry, null);
  }

  /**
   * A copy that names and tags observations with {@code convention}.
   *
   * @throws NullPointerException if {@code convention} is null
   */
  public HoldfastObservations withConvention(HoldfastObservationConvention convention) {
    return new HoldfastObservations(registry, Objects.requireNonNull(convention, "convention"));
  }

  @Override
  public void on(GuardEvent event) {
    if (event instanceof GuardEvent.CallStarted e) {
      if (!registry.isNoop()) {
        e.call().put(this, new CallObservations(start(e.call(), 0, null)));
      }
    } else if (event instanceof GuardEvent.AttemptStarted e) {
      CallObservations state = state(e.call());
      if (state != null) {
        state.attemptStarted(e.attempt(), start(e.call(), e.attempt(), state.call));
      }
    } else if (event instanceof GuardEvent.AttemptSucceeded e) {
      CallObservations state = state(e.call());
      if (state != null) {
        stop(state.attemptEnded(e.attempt()), "succeeded", 0, null, null);
      }
    } else if (event instanceof GuardEvent.AttemptFailed e) {
      CallObservations state = state(e.call());
      if (state != null) {
        String code = e.error() instanceof HoldfastException h ? h.code().orElse(null) : null;
        stop(state.attemptEnded(e.attempt()), "failed", 0, code, e.error());
      }
    } else if (event instanceof GuardEvent.RetryScheduled e) {
      CallObservations state = state(e.call());
      if (state != null) {
        state.call.event(Observation.Event.of("retry", "retry scheduled"));
      }
    } else if (event instanceof GuardEvent.CallSucceeded e) {
      CallObservations state = (CallObservations) e.call().remove(this);
      if (state != null) {
        stop(state.call, HoldfastMetrics.tagValue(e.outcome()), e.attempts(), null, null);
      }
    } else if (event instanceof GuardEvent.CallFailed e) {
      CallObservations state = (CallObservations) e.call().remove(this);
      if (state != null) {
        stop(state.call, HoldfastMetrics.tagValue(e.outcome()), e.attempts(), null, e.error());
      }
    }
  }

  /** Makes the attempt's observation current on the thread that runs it. */
  @Override
  public Scope attemptScope(GuardEvent.AttemptStarted attempt) {
    CallObservations state = state(attempt.call());
    Observation observation = state == null ? null : state.attempt(attempt.attempt());
    if (observation == null) {
      return Scope.NONE;
    }
    Observation.Scope scope = observation.openScope();
    return scope::close;
  }

  private CallObservations state(GuardedCall call) {
    return call.get(this, CallObservations.class);
  }

  private Observation start(GuardedCall call, int attempt, Observation parent) {
    HoldfastObservationContext context = new HoldfastObservationContext(call, attempt);
    Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry);
    if (parent != null) {
      observation.parentObservation(parent);
    }
    return observation.start();
  }

  private static void stop(Observation observation, String outcome, int attempts, String code, Throwable error) {
    if (observation == null) {
      return;
    }
    if (observation.getContext() instanceof HoldfastObservationContext context) {
      context.ended(outcome, attempts, code);
    }
    if (error != null) {
      observation.error(error);
    }
    observation.stop();
  }
}
