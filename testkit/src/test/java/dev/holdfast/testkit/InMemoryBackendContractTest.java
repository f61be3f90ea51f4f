package dev.holdfast.testkit;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.contract.BackendContract;
import dev.holdfast.testkit.contract.ContractSchema;

/** The whole backend contract over {@link InMemoryBackend}. */
class InMemoryBackendContractTest extends BackendContract {
  private final InMemoryDatabase database = new InMemoryDatabase();

  @Override
  protected void recreateTables() {
    ContractSchema.createIn(database);
  }

  @Override
  protected Backend newBackend() {
    return new InMemoryBackend(database);
  }
}
