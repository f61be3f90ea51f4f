package dev.holdfast.jdbc;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract suite over JDBC, connected directly to the embedded PostgreSQL. */
class JdbcDirectContractTest extends BackendContract {
  @BeforeAll
  static void createTables() {
    EmbeddedPg.exec(ContractSchema.postgresStatements().toArray(String[]::new));
  }

  @Override
  protected void recreateTables() {
    EmbeddedPg.exec(ContractSchema.POSTGRES_TRUNCATE);
  }

  @Override
  protected Backend newBackend() {
    return JdbcBackend.builder(EmbeddedPg.uri()).maximumPoolSize(4).build();
  }
}
