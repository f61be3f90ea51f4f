package dev.holdfast.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a DAO interface whose beans the starter wraps with {@link dev.holdfast.Resilient#wrap}, on the primary
 * {@link dev.holdfast.Holdfast}'s guard, when none of its methods carries one of holdfast's annotations ({@link
 * dev.holdfast.Idempotent}, {@link dev.holdfast.Attempts}, {@link dev.holdfast.Timeout}, {@link
 * dev.holdfast.Fallback}, {@link dev.holdfast.DefaultOnFailure}); an interface that carries one is wrapped
 * without it.
 *
 * <pre>{@code
 * @HoldfastDao
 * public interface InvoiceDao {
 *   Optional<Invoice> findById(long id);   // a read: retried
 *   long insert(Invoice invoice);          // a write: retried only when it never reached the database
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HoldfastDao {}
