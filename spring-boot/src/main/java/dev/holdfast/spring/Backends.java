package dev.holdfast.spring;

import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import dev.holdfast.spi.Backend;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/** Builds a {@link Holdfast} over a backend the way every auto-configured one is built. Stateless. */
final class Backends {
  private Backends() {}

  /**
   * A Holdfast over {@code backend} with the policies from the environment, every {@link GuardListener} bean and
   * every customizer applied; closes {@code backend} if building fails.
   */
  static Holdfast holdfast(String name, Backend backend, Environment environment, HoldfastProperties.Safe safe,
      ObjectProvider<GuardListener> listeners, ObjectProvider<HoldfastBuilderCustomizer> customizers) {
    try {
      Holdfast.Builder builder = Holdfast.builder(backend).policy(Policies.forBackend(environment, name))
          .safePolicy(safe.toPolicy());
      listeners.orderedStream().forEach(builder::listener);
      customizers.orderedStream().forEach(c -> c.customize(name, builder));
      return builder.build();
    } catch (RuntimeException | Error e) {
      backend.close();
      throw e;
    }
  }
}
