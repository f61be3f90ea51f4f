package dev.holdfast.spring;

import dev.holdfast.ResiliencePolicy;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads the effective policies from the environment: {@code holdfast.resilience.*} with a backend's own keys
 * ({@code holdfast.<backend>.resilience.*}) laid over it, key by key. Bound with a {@link Binder} rather than read from
 * {@link HoldfastProperties},
 * because a bound object cannot tell a key set to its default from a key not set at all. Stateless.
 */
final class Policies {
  private Policies() {}

  /** The policy of {@code backend} ({@code jdbc} or {@code postgrest}). */
  static ResiliencePolicy forBackend(Environment environment, String backend) {
    Binder binder = Binder.get(environment);
    ResilienceProperties p = new ResilienceProperties();
    binder.bind("holdfast.resilience", Bindable.ofInstance(p));
    binder.bind("holdfast." + backend + ".resilience", Bindable.ofInstance(p));
    return p.toPolicy();
  }
}
