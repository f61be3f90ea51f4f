package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import dev.holdfast.LastKnownGood;
import dev.holdfast.SafeKeyValueStore;
import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Defines a {@link SafeKeyValueStore} bean for each {@code holdfast.safe.key-value-stores.<name>}, named {@code
 * <name>SafeKeyValueStore} and qualified {@code @Qualifier("<name>")}, from the primary {@link Holdfast}. With
 * {@code create-table: true} on a JDBC backend, the table is created if missing when the bean is first made.
 */
final class SafeKeyValueStores implements BeanDefinitionRegistryPostProcessor {
  private final Environment environment;

  SafeKeyValueStores(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
    if (!(registry instanceof BeanFactory factory)) {
      return;
    }
    Map<String, HoldfastProperties.KeyValueStore> stores = Binder.get(environment)
        .bind("holdfast.safe.key-value-stores", Bindable.mapOf(String.class, HoldfastProperties.KeyValueStore.class))
        .orElse(Map.of());
    stores.forEach((name, settings) -> {
      String bean = name + "SafeKeyValueStore";
      if (registry.containsBeanDefinition(bean)) {
        return;
      }
      RootBeanDefinition definition = new RootBeanDefinition(SafeKeyValueStore.class);
      definition.setInstanceSupplier(() -> create(factory.getBean(Holdfast.class), name, settings));
      definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
      registry.registerBeanDefinition(bean, definition);
    });
  }

  static SafeKeyValueStore create(Holdfast db, String name, HoldfastProperties.KeyValueStore settings) {
    String table = settings.getTable() != null ? settings.getTable() : name;
    if (settings.isCreateTable() && ClassUtils.isPresent("dev.holdfast.jdbc.JdbcBackend",
        SafeKeyValueStores.class.getClassLoader())) {
      JdbcTables.createKeyValueTable(db, settings.getSchema(), table);
    }
    SafeKeyValueStore store = db.safeKeyValueStore(settings.getSchema(), table);
    return settings.getLastKnownGoodMaxEntries() > 0 ? store.withLastKnownGood(
        LastKnownGood.of(settings.getLastKnownGoodMaxEntries(), settings.getLastKnownGoodMaxAge())) : store;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    // Everything happens while definitions are registered.
  }
}
