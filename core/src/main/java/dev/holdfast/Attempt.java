package dev.holdfast;

/**
 * One attempt of a guarded call. It may throw anything; the guard's {@link dev.holdfast.spi.ErrorClassifier}
 * decides what the failure means.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Attempt<T> {
  /** Runs the attempt within {@code context.timeout()}. */
  T run(CallContext context) throws Exception;
}
