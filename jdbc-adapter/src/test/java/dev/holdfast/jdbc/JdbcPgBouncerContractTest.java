package dev.holdfast.jdbc;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract suite over JDBC through a real PgBouncer in transaction mode (two server connections). */
class JdbcPgBouncerContractTest extends BackendContract {
  static PgBouncerProcess bouncer;

  @BeforeAll
  static void start() {
    bouncer = PgBouncerProcess.start(EmbeddedPg.port(), "transaction", 2);
    EmbeddedPg.exec(ContractSchema.postgresStatements().toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Override
  protected void recreateTables() {
    EmbeddedPg.exec(ContractSchema.POSTGRES_TRUNCATE);
  }

  @Override
  protected Backend newBackend() {
    return JdbcBackend.builder(bouncer.uri()).maximumPoolSize(4).build();
  }
}
