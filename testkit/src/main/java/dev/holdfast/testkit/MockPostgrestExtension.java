package dev.holdfast.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that injects a fresh {@link MockPostgrest} (with an empty {@link InMemoryDatabase}) into
 * test methods, {@code @BeforeEach} and {@code @AfterEach} methods — the same instance within one test — and
 * closes it when the test ends. A {@code MockPostgrest} parameter of a static {@code @BeforeAll} method is one
 * per test class, shared by its tests. Parameters of type {@link InMemoryDatabase} receive the served database.
 * Thread-safe.
 *
 * <pre>{@code
 * @ExtendWith(MockPostgrestExtension.class)
 * class TaskServiceTest {
 *   @Test
 *   void retriesThroughAnOutage(MockPostgrest postgrest) {
 *     postgrest.seed("tasks", List.of(new Task(1, "write", false)));
 *     postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class MockPostgrestExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      MockPostgrestExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MockPostgrest.class || type == InMemoryDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // Closed when its context (this test, or the class for @BeforeAll) ends, on every JUnit line: StoredResource.
    MockPostgrest postgrest = StoredResource.getOrCreate(context.getStore(NAMESPACE), MockPostgrest.class,
        MockPostgrest::start);
    return parameter.getParameter().getType() == MockPostgrest.class ? postgrest : postgrest.database();
  }
}
