package dev.holdfast.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of holdfast's call and attempt observations. Implement it (or extend {@link
 * DefaultHoldfastObservationConvention}) and pass it to {@link HoldfastObservations#withConvention}, or register a
 * global one on the {@code ObservationRegistry}, to rename them or add key values. Implementations must be
 * thread-safe and must not put parameter values, keys or tokens in key values.
 */
public interface HoldfastObservationConvention extends ObservationConvention<HoldfastObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof HoldfastObservationContext;
  }
}
