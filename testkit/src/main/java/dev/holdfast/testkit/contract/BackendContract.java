package dev.holdfast.testkit.contract;

import dev.holdfast.Holdfast;
import dev.holdfast.spi.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract every holdfast backend passes: the same Repository and KeyValueStore calls must give the same
 * results, in the same order, with the same exception types, over every backend. A backend's test class extends
 * this class and implements two hooks; JUnit then runs every test of {@link RepositoryQueryContract},
 * {@link RepositoryPagingContract}, {@link RepositoryWriteContract}, {@link HostileInputContract},
 * {@link HostileIdentifierContract}, {@link KeyValueStoreContract} and {@link TransactionContract} against it.
 *
 * <p>Before each test the suite calls {@link #recreateTables()}, then {@link #newBackend()}, and builds a
 * {@link Holdfast} over that backend with {@link #newHoldfast(Backend)}; after the test it closes the Holdfast,
 * which closes the backend. The tables are {@link ContractSchema#POSTGRES_DDL}; the suite only reads and writes
 * through holdfast's public API.
 *
 * <pre>{@code
 * class JdbcBackendContractTest extends BackendContract {
 *   static EmbeddedPostgres postgres;
 *
 *   @BeforeAll
 *   static void start() throws Exception {
 *     postgres = EmbeddedPostgres.start();
 *     try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
 *       s.execute(ContractSchema.POSTGRES_DDL);
 *     }
 *   }
 *
 *   @Override
 *   protected void recreateTables() throws Exception {
 *     try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
 *       s.execute(ContractSchema.POSTGRES_TRUNCATE);
 *     }
 *   }
 *
 *   @Override
 *   protected Backend newBackend() {
 *     return JdbcBackend.wrap(postgres.getPostgresDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class BackendContract implements RepositoryQueryContract, RepositoryPagingContract,
    RepositoryWriteContract, HostileInputContract, HostileIdentifierContract, KeyValueStoreContract,
    TransactionContract {
  private Holdfast holdfast;
  private CountingBackend backend;

  /**
   * Makes the contract tables exist and be empty, with the identity of {@code contract_items} restarted:
   * {@link ContractSchema#POSTGRES_TRUNCATE} on PostgreSQL (after {@link ContractSchema#POSTGRES_DDL} once), or
   * {@link ContractSchema#createIn} for an in-memory database. {@code contract_missing} must not exist.
   */
  protected abstract void recreateTables() throws Exception;

  /** A fresh backend over the contract tables; the suite closes it after the test. */
  protected abstract Backend newBackend() throws Exception;

  /**
   * The Holdfast under test over {@code backend}. Override to set a policy or scheduler; by default
   * {@code Holdfast.builder(backend).build()}.
   */
  protected Holdfast newHoldfast(Backend backend) {
    return Holdfast.builder(backend).build();
  }

  @BeforeEach
  final void openContractFixture() throws Exception {
    recreateTables();
    backend = new CountingBackend(newBackend());
    holdfast = newHoldfast(backend);
  }

  @AfterEach
  final void closeContractFixture() {
    if (holdfast != null) {
      holdfast.close();
    }
  }

  @Override
  public final Holdfast holdfast() {
    return holdfast;
  }

  @Override
  public final long backendCalls() {
    return backend.calls();
  }
}
