package dev.holdfast;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says whether a DAO method wrapped by {@link Resilient} may be run twice with the same effect as once, so that it
 * is retried after a failure whose outcome is unknown. On a method it overrides the type's; {@code
 * @Idempotent(false)} marks a method as a non-idempotent write even if its name reads like a read.
 *
 * <p>Without the annotation on the method or its interface, a method whose name starts with {@code get}, {@code
 * find}, {@code list}, {@code count}, {@code exists}, {@code load}, {@code read}, {@code search}, {@code select},
 * {@code is} or {@code has} is a read, and any other method a non-idempotent write, which is retried only when
 * the failure proves the request never reached the backend.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {
  /** Whether running the method twice has the same effect as once. */
  boolean value() default true;
}
