package dev.holdfast.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that starts one real {@link PostgresCluster} (Patroni, etcd, HAProxy, a primary and two
 * replicas of PostgreSQL 15) per test class, on first use, and closes it — every process stopped, every file
 * deleted — when the class's tests are done. It injects {@link PostgresCluster} parameters into test methods,
 * constructors and {@code @BeforeAll} methods. The tests of a class share the cluster, so a test that leaves it
 * changed (a killed node, etcd stopped) should restore it, and one that needs it whole can start with
 * {@link PostgresCluster#awaitHealthy}. When the packages are missing the class is skipped with a message saying
 * what to install, except when the environment variable {@code CI} is {@code true}: then it fails. Thread-safe.
 *
 * <pre>{@code
 * @ExtendWith(PostgresClusterExtension.class)
 * class FailoverTest {
 *   @Test
 *   void survivesAFailover(PostgresCluster cluster) {
 *     ... cluster.writeJdbcUrl() ... cluster.killPrimary() ... cluster.awaitWritable(Duration.ofSeconds(30))
 *   }
 * }
 * }</pre>
 */
public final class PostgresClusterExtension implements BeforeAllCallback, ParameterResolver {
  /** How the test class's cluster starts; without it, with {@link PostgresCluster.Builder}'s defaults. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Settings {
    /** Patroni's {@code failsafe_mode} from the start. */
    boolean failsafeMode() default false;

    /** How long the start may take, in seconds. */
    int startupTimeoutSeconds() default 90;
  }

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    // An assumption here skips the whole class; thrown from parameter resolution it would fail it instead.
    PostgresCluster.assumeInstalled();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext owner = ExtensionStores.classContext(context);
    Settings settings = owner.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, Settings.class))
        .orElse(null);
    PostgresCluster.Builder builder = PostgresCluster.builder();
    if (settings != null) {
      builder.failsafeMode(settings.failsafeMode())
          .startupTimeout(java.time.Duration.ofSeconds(settings.startupTimeoutSeconds()));
    }
    // The class's store closes it when the class's tests are done, on every JUnit line: StoredResource.
    return StoredResource.getOrCreate(owner.getStore(NAMESPACE), PostgresCluster.class, builder::start);
  }
}
