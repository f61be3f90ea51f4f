package dev.holdfast;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most time one attempt of a DAO method wrapped by {@link Resilient} may take (the policy's {@link
 * ResiliencePolicy#attemptTimeout()} for that method), even when the DAO itself ignores timeouts. A blocking
 * method's attempt runs on a scheduler thread and the caller stops waiting when the timeout, measured on the
 * scheduler's clock, runs out; the abandoned call is not interrupted (most drivers do not recover well from it)
 * and finishes in the background. A future-returning method's attempt is bounded by the guard's own attempt
 * timer, which also interrupts it. Either way the attempt counts as a transient failure whose request was sent,
 * so a read is retried and a non-idempotent write ends in {@link UnknownOutcomeException}.
 *
 * <p>Methods without {@code @Timeout} run on the caller's thread, and only the DAO's own timeouts bound them:
 * the extra thread hop is paid only where it is asked for.
 *
 * <p>The value is a {@link java.time.Duration}: ISO-8601 ({@code "PT2.5S"}) or a whole number with the unit
 * {@code ms}, {@code s} or {@code m} ({@code "500ms"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {
  /** The timeout, such as {@code "500ms"}, {@code "2s"} or {@code "PT1M"}. */
  String value();
}
