package dev.holdfast;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the method that supplies the result when a DAO method wrapped by {@link Resilient} fails for good with a
 * data-access failure (a {@link HoldfastException}; other exceptions propagate). The fallback has the same
 * parameters, optionally followed by one parameter that receives the failure ({@link HoldfastException} or a
 * supertype), and returns the same type. It is looked up on the interface (a default method, or a method the
 * target implements) and then among the target's public methods; {@link Resilient#wrap} checks it exists.
 *
 * <pre>{@code
 * @Fallback("cachedPrices")
 * List<Price> prices(String sku);
 *
 * default List<Price> cachedPrices(String sku, HoldfastException failure) { return priceCache.get(sku); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Fallback {
  /** The fallback method's name. */
  String value();
}
