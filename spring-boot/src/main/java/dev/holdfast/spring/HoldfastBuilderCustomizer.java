package dev.holdfast.spring;

import dev.holdfast.Holdfast;

/**
 * Customizes each {@link Holdfast.Builder} the auto-configuration creates, after the properties are applied and
 * before {@code build()}: for a scheduler, an extra listener, or a policy computed in code. Beans of this type are
 * applied in {@link org.springframework.core.Ordered} order. Implementations are called once per backend at
 * startup, on the thread that creates the context.
 *
 * <pre>{@code
 * @Bean
 * HoldfastBuilderCustomizer auditTrail(AuditListener audit) {
 *   return (backend, builder) -> builder.listener(audit);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HoldfastBuilderCustomizer {
  /**
   * Customizes {@code builder}.
   *
   * @param backend {@code jdbc} or {@code postgrest}
   */
  void customize(String backend, Holdfast.Builder builder);
}
