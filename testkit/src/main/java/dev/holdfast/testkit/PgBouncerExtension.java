package dev.holdfast.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that runs a real {@link PgBouncer} per test class — by default in transaction mode with
 * two server connections, the way Supabase's and most hosted poolers run — in front of the class's database on
 * the shared embedded PostgreSQL (the same database {@link EmbeddedPostgresExtension} injects, when both are
 * registered), and stops it and deletes its files when the class's tests are done. It injects {@link PgBouncer}
 * parameters. When PgBouncer is not installed the class is skipped with a message saying how to install it,
 * except when the environment variable {@code CI} is {@code true}: then it fails. Thread-safe.
 *
 * <pre>{@code
 * @ExtendWith(PgBouncerExtension.class)
 * @PgBouncerExtension.Settings(poolMode = PgBouncer.PoolMode.TRANSACTION, poolSize = 2)
 * class BehindThePoolerTest {
 *   @Test
 *   void worksBehindPgBouncer(PgBouncer bouncer) { ... bouncer.jdbcUrl() ... }
 * }
 * }</pre>
 */
public final class PgBouncerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  /** The pool a test class's PgBouncer runs; without it, transaction mode with two server connections. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Settings {
    /** The pool mode. */
    PgBouncer.PoolMode poolMode() default PgBouncer.PoolMode.TRANSACTION;

    /** The server connections per database and user ({@code default_pool_size}). */
    int poolSize() default 2;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // An assumption here skips the whole class; thrown from parameter resolution it would fail it instead.
    PgBouncer.assumeInstalled();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    PgBouncer.assumeInstalled();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PgBouncer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext owner = ExtensionStores.classContext(context);
    TestDatabase database = ExtensionStores.database(context);
    Settings settings = owner.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, Settings.class))
        .orElse(null);
    PgBouncer.PoolMode mode = settings == null ? PgBouncer.PoolMode.TRANSACTION : settings.poolMode();
    int size = settings == null ? 2 : settings.poolSize();
    // Stored after the database, so the store closes PgBouncer first (it closes in reverse order of creation).
    return StoredResource.getOrCreate(owner.getStore(ExtensionStores.NAMESPACE), PgBouncer.class,
        () -> PgBouncer.start(database, mode, size));
  }
}
