package dev.holdfast;

import dev.holdfast.internal.BackendKeyValueStore;
import dev.holdfast.internal.BackendRepository;
import dev.holdfast.internal.Transactions;
import dev.holdfast.spi.Backend;
import java.time.Duration;
import java.util.Objects;

/**
 * The entry point: one backend, one {@link Guard} (policy, circuit breaker, retry budget, bulkhead), and the
 * repositories and key-value stores over them, plus {@link #safe() safe calls} and {@link #safeKeyValueStore(String)
 * safe key-value stores} that return results instead of throwing. Thread-safe. Closing it closes the backend and the guard.
 *
 * <pre>{@code
 * try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(url)).build()) {
 *   Repository<Task, Long> tasks = db.repository(TASKS);
 *   tasks.insert(new Task(null, "Write the README", false, Instant.now()));
 * }
 * }</pre>
 */
public final class Holdfast implements AutoCloseable {
  private final Backend backend;
  private final Guard guard;
  private final ResiliencePolicy safePolicy;
  private final Transactions transactions;

  private Holdfast(Builder b) {
    this.backend = b.backend;
    this.safePolicy = b.safePolicy;
    this.guard = b.guard.build();
    this.transactions = new Transactions(backend, guard);
  }

  /** A builder over {@code backend}, which the built instance owns and closes. */
  public static Builder builder(Backend backend) {
    return new Builder(backend);
  }

  /** A repository of {@code table}'s rows. Cheap; repositories share the backend and guard. */
  public <T, ID> Repository<T, ID> repository(Table<T, ID> table) {
    return new BackendRepository<>(backend, guard, Objects.requireNonNull(table, "table"));
  }

  /**
   * A key-value store kept in {@code table} ({@code key text primary key, value jsonb, updated_at timestamptz}),
   * in the {@code public} schema.
   */
  public KeyValueStore keyValueStore(String table) {
    return keyValueStore("public", table);
  }

  /** A key-value store kept in {@code schema.table}. */
  public KeyValueStore keyValueStore(String schema, String table) {
    return new BackendKeyValueStore(backend, guard, schema, table);
  }

  /**
   * Safe calls over this instance's guard: any call with a default, whose data-access failures become results
   * instead of exceptions. They run under the {@link Builder#safePolicy safe policy}.
   */
  public Safe safe() {
    return Safe.over(guard).withPolicy(safePolicy);
  }

  /**
   * A safe key-value store kept in {@code table} of the {@code public} schema: reads and writes that return
   * results instead of throwing, under the {@link Builder#safePolicy safe policy}.
   *
   * <pre>{@code
   * SafeKeyValueStore settings = db.safeKeyValueStore("app_settings")
   *     .withLastKnownGood(LastKnownGood.of(10_000, Duration.ofMinutes(10)));
   * }</pre>
   */
  public SafeKeyValueStore safeKeyValueStore(String table) {
    return safeKeyValueStore("public", table);
  }

  /** A safe key-value store kept in {@code schema.table}; see {@link #safeKeyValueStore(String)}. */
  public SafeKeyValueStore safeKeyValueStore(String schema, String table) {
    Objects.requireNonNull(table, "table");
    KeyValueStore store = new BackendKeyValueStore(backend, guard, schema, table, safePolicy);
    return SafeKeyValueStore.create(table, store, guard.scheduler(), guard);
  }

  /** What the backend can do beyond the repository calls every backend supports. */
  public Capabilities capabilities() {
    return backend.capabilities();
  }

  /**
   * Runs {@code unit} in one database transaction, as the guarded call {@code transaction}, with the database's
   * default isolation; see {@link #inTransaction(String, TransactionOptions, Transaction.Unit)}.
   */
  public <R> R inTransaction(Transaction.Unit<R> unit) {
    return inTransaction("transaction", TransactionOptions.defaults(), unit);
  }

  /**
   * Runs {@code unit} in one database transaction, as the guarded call {@code name}: repositories from
   * {@link Transaction#repository} read and write inside it, and it commits when the unit returns.
   *
   * <p>The unit is run again, from the start and in a new transaction, when the database rolled the transaction
   * back — a serialization failure (40001), a deadlock (40P01), a lock not available (55P03) — or the connection
   * was lost before COMMIT was sent; a connection lost while COMMIT was in flight ends in
   * {@link UnknownOutcomeException} (a read-only unit is retried then too). So a unit must not have effects
   * outside the database. Called inside another unit on the same thread, it joins that transaction (and its
   * options). On a backend without transactions ({@link #capabilities()}), it fails at once with an
   * {@link InvalidRequestException}.
   *
   * <pre>{@code
   * Order placed = db.inTransaction("placeOrder", TransactionOptions.defaults(), tx -> {
   *   Order order = tx.repository(ORDERS).insert(new Order(null, customer, total));
   *   tx.repository(CUSTOMERS).updateById(customer, Changes.set("lastOrder", order.id()));
   *   return order;
   * });
   * }</pre>
   *
   * @return what the unit returned
   * @throws HoldfastException when it fails for good; an exception the unit throws itself reaches the caller
   *     unchanged (wrapped in {@link java.util.concurrent.CompletionException} if it is checked)
   */
  public <R> R inTransaction(String name, TransactionOptions options, Transaction.Unit<R> unit) {
    return transactions.run(name, options, unit);
  }

  /** {@link #inTransaction(String, TransactionOptions, Transaction.Unit)} with attempts on the guard's threads. */
  public <R> java.util.concurrent.CompletableFuture<R> inTransactionAsync(String name, TransactionOptions options,
      Transaction.Unit<R> unit) {
    return transactions.runAsync(name, options, unit);
  }

  /** The guard that runs every call to the backend. */
  public Guard guard() {
    return guard;
  }

  /** The backend. */
  public Backend backend() {
    return backend;
  }

  /**
   * The backend's health, probed within {@code timeout}, combined with the circuit breaker's state: an open
   * breaker makes it DOWN and a half-open one DEGRADED.
   */
  public HealthReport health(Duration timeout) {
    HealthReport report = backend.check(Objects.requireNonNull(timeout, "timeout"));
    return switch (guard.circuitState()) {
      case OPEN -> report.withStatus(HealthReport.Status.DOWN);
      case HALF_OPEN -> report.status() == HealthReport.Status.UP
          ? report.withStatus(HealthReport.Status.DEGRADED) : report;
      default -> report;
    };
  }

  /** Closes the guard and the backend. Idempotent. */
  @Override
  public void close() {
    try {
      guard.close();
    } finally {
      backend.close();
    }
  }

  /**
   * Builds a {@link Holdfast}. Not thread-safe. The guard's settings (policy, scheduler, listeners) are those of a
   * {@link Guard.Builder} for the backend, which also consults the backend's own error classifier.
   */
  public static final class Builder {
    private final Backend backend;
    private final Guard.Builder guard;
    private ResiliencePolicy safePolicy = ResiliencePolicy.safeDefaults();

    private Builder(Backend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      this.guard = Guard.builder(backend.name()).classifier(backend.errorClassifier()).healthCheck(backend);
    }

    /** The policy for every call; default {@link ResiliencePolicy#defaults()}. */
    public Builder policy(ResiliencePolicy policy) {
      guard.policy(policy);
      return this;
    }

    /**
     * The policy for {@link Holdfast#safe()} and {@link Holdfast#safeKeyValueStore(String)}; default {@link
     * ResiliencePolicy#safeDefaults()}. Calls under it share the guard's circuit breaker, budget and bulkhead.
     */
    public Builder safePolicy(ResiliencePolicy safePolicy) {
      this.safePolicy = Objects.requireNonNull(safePolicy, "safePolicy");
      return this;
    }

    /** The scheduler (for tests, a {@link ManualScheduler}); default a system scheduler owned by the guard. */
    public Builder scheduler(Scheduler scheduler) {
      guard.scheduler(scheduler);
      return this;
    }

    /** Adds a listener for the guard's events: calls, attempts, retries, breaker transitions, safe results. */
    public Builder listener(GuardListener listener) {
      guard.listener(listener);
      return this;
    }

    /** The instance. */
    public Holdfast build() {
      return new Holdfast(this);
    }
  }
}
