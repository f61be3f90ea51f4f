package dev.holdfast;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * When a DAO method wrapped by {@link Resilient} fails for good with a data-access failure (a {@link
 * HoldfastException}), it returns an empty value instead of throwing: an empty {@link java.util.Optional}, {@link
 * java.util.List}, {@link java.util.Set}, {@link java.util.Map} or {@link java.util.Collection}, or a future of
 * one. The failure is logged once at WARN. {@link Resilient#wrap} rejects it on any other return type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DefaultOnFailure {}
