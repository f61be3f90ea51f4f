package dev.holdfast.testkit.contract;

import dev.holdfast.Holdfast;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Repository;
import java.util.List;

/**
 * What every contract test interface needs from the running suite. {@link BackendContract} implements it; a
 * backend's test class extends {@link BackendContract} rather than implementing the interfaces itself.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface ContractSuite {
  /** The Holdfast instance under test for the current test, over empty contract tables. */
  Holdfast holdfast();

  /** The repository of {@link ContractSchema#ITEMS}. */
  default Repository<ContractItem, Long> items() {
    return holdfast().repository(ContractSchema.ITEMS);
  }

  /** The key-value store in {@link ContractSchema#KV_TABLE}. */
  default KeyValueStore kv() {
    return holdfast().keyValueStore(ContractSchema.SCHEMA, ContractSchema.KV_TABLE);
  }

  /** How many data calls reached the backend so far in this test. */
  long backendCalls();

  /** Inserts {@link ContractData#SEED} and returns the stored rows, in seed order. */
  default List<ContractItem> seed() {
    return items().insertAll(ContractData.SEED);
  }
}
