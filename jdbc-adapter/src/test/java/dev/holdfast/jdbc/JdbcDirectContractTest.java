package dev.holdfast.jdbc;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract suite over JDBC, connected directly to a database of its own on the embedded PostgreSQL. */
class JdbcDirectContractTest extends BackendContract {
  static TestDatabase database;

  @BeforeAll
  static void createTables() {
    database = TestPostgres.createDatabase();
    database.execute(ContractSchema.postgresStatements().toArray(String[]::new));
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected void recreateTables() {
    database.execute(ContractSchema.POSTGRES_TRUNCATE);
  }

  @Override
  protected Backend newBackend() {
    return JdbcBackend.builder(database.uri()).maximumPoolSize(4).build();
  }
}
