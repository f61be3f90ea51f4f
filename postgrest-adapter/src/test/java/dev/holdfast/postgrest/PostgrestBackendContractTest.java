package dev.holdfast.postgrest;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;
import org.junit.jupiter.api.AfterEach;

/** The whole backend contract over {@link PostgrestBackend}, talking HTTP to MockPostgrest. */
class PostgrestBackendContractTest extends BackendContract {
  private final InMemoryDatabase database = new InMemoryDatabase();
  private final MockPostgrest postgrest = MockPostgrest.start(database);

  @Override
  protected void recreateTables() {
    ContractSchema.createIn(database);
  }

  @Override
  protected Backend newBackend() {
    return PostgrestBackend.create(PostgrestClient.builder(postgrest.url()).apiKey("anon"));
  }

  @AfterEach
  void stopServer() {
    postgrest.close();
  }
}
