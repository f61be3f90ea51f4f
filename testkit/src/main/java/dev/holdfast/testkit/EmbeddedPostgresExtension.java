package dev.holdfast.testkit;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test class a fresh database of its own on the JVM's shared embedded
 * PostgreSQL 16 server ({@link TestPostgres}; the server starts once, which takes seconds, and the database takes
 * milliseconds) and drops it when the class's tests are done. It injects {@link TestDatabase} (name, JDBC URL,
 * URI) and {@link DataSource} parameters into test methods, lifecycle methods and constructors; all of one class
 * see the same database. Thread-safe.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedPostgresExtension.class)
 * class JdbcTaskRepositoryTest {
 *   @BeforeAll
 *   static void schema(DataSource db) throws SQLException {
 *     try (Connection c = db.getConnection()) {
 *       c.createStatement().execute("CREATE TABLE tasks (id bigserial PRIMARY KEY, title text NOT NULL)");
 *     }
 *   }
 *
 *   @Test
 *   void insertsATask(TestDatabase db) { ... db.jdbcUrl() ... }
 * }
 * }</pre>
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestDatabase.class || type == DataSource.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestDatabase database = ExtensionStores.database(context);
    return parameter.getParameter().getType() == TestDatabase.class ? database : database.dataSource();
  }
}
