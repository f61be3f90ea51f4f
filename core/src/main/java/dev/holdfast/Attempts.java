package dev.holdfast;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most attempts for a DAO method wrapped by {@link Resilient} (or every method of an annotated interface),
 * including the first, in place of the policy's {@link ResiliencePolicy#maxAttempts()}. {@code @Attempts(1)} turns
 * retries off.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Attempts {
  /** The most attempts, at least 1. */
  int value();
}
