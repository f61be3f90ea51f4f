/**
 * Micrometer meters ({@link dev.holdfast.micrometer.HoldfastMetrics}) and Observation-API tracing ({@link
 * dev.holdfast.micrometer.HoldfastObservations}) for holdfast's guarded calls: both are {@link
 * dev.holdfast.GuardListener}s added with {@code Holdfast.builder(backend).listener(...)}. No Spring needed.
 * Package-private types are implementation.
 */
package dev.holdfast.micrometer;
