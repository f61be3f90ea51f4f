package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches while the application defines no {@link Holdfast} bean of its own. Not {@code @ConditionalOnMissingBean}:
 * the JDBC and the PostgREST auto-configuration each define one, and the second must not back off because of the
 * first.
 */
final class NoUserHoldfastCondition extends SpringBootCondition implements ConfigurationCondition {
  static final Set<String> OWN = Set.of(HoldfastJdbcAutoConfiguration.BEAN, HoldfastPostgrestAutoConfiguration.BEAN);

  @Override
  public ConfigurationPhase getConfigurationPhase() {
    return ConfigurationPhase.REGISTER_BEAN;
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConfigurableListableBeanFactory factory = context.getBeanFactory();
    List<String> theirs = factory == null ? List.of() : Arrays.stream(factory.getBeanNamesForType(Holdfast.class,
        true, false)).filter(name -> !OWN.contains(name)).toList();
    return theirs.isEmpty() ? ConditionOutcome.match("no Holdfast bean of the application's own")
        : ConditionOutcome.noMatch("the application defines Holdfast beans " + theirs);
  }
}
