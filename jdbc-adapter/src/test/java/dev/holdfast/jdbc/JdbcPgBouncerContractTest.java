package dev.holdfast.jdbc;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract suite over JDBC through a real PgBouncer in transaction mode (two server connections). */
class JdbcPgBouncerContractTest extends BackendContract {
  static TestDatabase database;
  static PgBouncer bouncer;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    bouncer = PgBouncer.start(database, PgBouncer.PoolMode.TRANSACTION, 2);
    database.execute(ContractSchema.postgresStatements().toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (bouncer != null) {
      bouncer.close();
    }
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
    return JdbcBackend.builder(bouncer.uri()).maximumPoolSize(4).build();
  }
}
