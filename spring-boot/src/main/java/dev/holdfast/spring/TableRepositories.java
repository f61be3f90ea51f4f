package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * For every {@code Table<T, ID>} bean, defines a {@code Repository<T, ID>} bean, named after the table bean with
 * {@code Repository} appended, from the primary {@link Holdfast}, so that {@code Repository<Task, Long>} can be
 * injected by its generic type. A table bean whose type arguments cannot be read from its definition (declared as
 * a raw {@code Table}, or {@code Table<?, ?>}) gets no repository, and a WARN says so; the application's own
 * repository bean of the same generic type, or of the same name, takes precedence.
 */
final class TableRepositories implements BeanDefinitionRegistryPostProcessor, Ordered {
  private static final Logger LOG = LoggerFactory.getLogger(TableRepositories.class);

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
    if (!(registry instanceof ConfigurableListableBeanFactory factory)) {
      return;
    }
    for (String table : factory.getBeanNamesForType(Table.class, true, false)) {
      ResolvableType type = tableType(factory, table);
      Class<?> rowType = type.resolveGeneric(0);
      Class<?> idType = type.resolveGeneric(1);
      if (rowType == null || idType == null) {
        LOG.warn("holdfast: bean '{}' is a Table whose row and id types are not declared ({}), so no Repository "
            + "bean is defined for it; declare the @Bean method as returning Table<Row, Id>", table, type);
        continue;
      }
      ResolvableType repositoryType = ResolvableType.forClassWithGenerics(Repository.class, rowType, idType);
      String name = table + "Repository";
      if (registry.containsBeanDefinition(name) || factory.getBeanNamesForType(repositoryType, true, false).length > 0) {
        continue;
      }
      RootBeanDefinition repository = new RootBeanDefinition();
      repository.setTargetType(repositoryType);
      repository.setInstanceSupplier(() -> factory.getBean(Holdfast.class)
          .repository((Table<?, ?>) factory.getBean(table, Table.class)));
      repository.setRole(BeanDefinition.ROLE_APPLICATION);
      repository.setDependsOn(table);
      registry.registerBeanDefinition(name, repository);
    }
  }

  private static ResolvableType tableType(ConfigurableListableBeanFactory factory, String name) {
    BeanDefinition definition = factory.getMergedBeanDefinition(name);
    ResolvableType type = definition.getResolvableType();
    return type.as(Table.class);
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    // Everything happens while definitions are registered.
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
