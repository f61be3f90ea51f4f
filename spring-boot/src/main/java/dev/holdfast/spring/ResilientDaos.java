package dev.holdfast.spring;

import dev.holdfast.Attempts;
import dev.holdfast.DefaultOnFailure;
import dev.holdfast.Fallback;
import dev.holdfast.Holdfast;
import dev.holdfast.Idempotent;
import dev.holdfast.Repository;
import dev.holdfast.Resilient;
import dev.holdfast.Timeout;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Wraps each bean that implements a DAO interface annotated for holdfast ({@link HoldfastDao}, or holdfast's
 * {@link Idempotent}, {@link Attempts}, {@link Timeout} on the interface or {@link Idempotent}, {@link Attempts},
 * {@link Timeout}, {@link Fallback}, {@link DefaultOnFailure} on a method) with {@link Resilient#wrap(Class,
 * Object, dev.holdfast.Guard)} on the primary {@link Holdfast}'s guard, so it shares that backend's circuit
 * breaker, retry budget, listeners and meters. The proxy implements that interface only: inject the DAO by its
 * interface. It runs last, outside Spring's own proxies: a {@code @Transactional} DAO gets a new Spring
 * transaction for every holdfast attempt. A bean with two such interfaces is left alone, with a WARN.
 */
final class ResilientDaos implements BeanPostProcessor, Ordered {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientDaos.class);
  private static final Set<Class<? extends Annotation>> ON_TYPE = Set.of(HoldfastDao.class, Idempotent.class,
      Attempts.class, Timeout.class);
  private static final Set<Class<? extends Annotation>> ON_METHOD = Set.of(Idempotent.class, Attempts.class,
      Timeout.class, Fallback.class, DefaultOnFailure.class);

  private final ObjectProvider<Holdfast> holdfast;

  ResilientDaos(ObjectProvider<Holdfast> holdfast) {
    this.holdfast = holdfast;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof Holdfast || bean instanceof Repository<?, ?>) {
      return bean;
    }
    List<Class<?>> daos = ClassUtils.getAllInterfacesForClassAsSet(bean.getClass()).stream()
        .filter(ResilientDaos::annotatedForHoldfast).toList();
    if (daos.isEmpty()) {
      return bean;
    }
    if (daos.size() > 1) {
      LOG.warn("holdfast: bean '{}' implements several DAO interfaces annotated for holdfast ({}), so it is not "
          + "wrapped; wrap it yourself with Resilient.wrap(Interface.class, bean, holdfast.guard())", beanName,
          daos.stream().map(Class::getSimpleName).toList());
      return bean;
    }
    Holdfast db = holdfast.getIfAvailable();
    if (db == null) {
      return bean;
    }
    return wrap(daos.get(0), bean, db);
  }

  @SuppressWarnings("unchecked")
  private static <D> D wrap(Class<D> type, Object bean, Holdfast db) {
    return Resilient.wrap(type, (D) bean, db.guard());
  }

  static boolean annotatedForHoldfast(Class<?> type) {
    for (Class<? extends Annotation> a : ON_TYPE) {
      if (type.isAnnotationPresent(a)) {
        return true;
      }
    }
    for (Method m : type.getMethods()) {
      for (Class<? extends Annotation> a : ON_METHOD) {
        if (m.isAnnotationPresent(a)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
