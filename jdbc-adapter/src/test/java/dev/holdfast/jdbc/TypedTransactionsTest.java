package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Backoff;
import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.TransactionOptions;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Typed repositories inside {@code Holdfast.inTransaction} on real PostgreSQL, directly and through a real
 * PgBouncer in transaction mode: committed, rolled back, re-run after a real serialization failure and after its
 * connection was killed before COMMIT.
 */
class TypedTransactionsTest {
  record Account(Long id, String owner, long balance) {}

  record Transfer(Long id, long fromId, long toId, long amount) {}

  static final Table<Account, Long> ACCOUNTS = Table.builder("accounts", Account.class, Long.class).build();
  static final Table<Transfer, Long> TRANSFERS = Table.builder("transfers", Transfer.class, Long.class).build();
  static final ResiliencePolicy RETRYING = ResiliencePolicy.builder().maxAttempts(10)
      .backoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(50))).deadline(Duration.ofSeconds(20))
      .withoutCircuitBreaker().withoutRetryBudget().build();

  static TestDatabase database;
  static PgBouncer bouncer;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    bouncer = PgBouncer.builder(database).poolSize(3).start();
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

  @BeforeEach
  void tables() {
    database.execute("DROP TABLE IF EXISTS transfers", "DROP TABLE IF EXISTS accounts",
        "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL CHECK "
            + "(balance >= 0))",
        "CREATE TABLE transfers (id bigserial PRIMARY KEY, from_id bigint NOT NULL REFERENCES accounts, "
            + "to_id bigint NOT NULL REFERENCES accounts, amount bigint NOT NULL)",
        "INSERT INTO accounts VALUES (1, 'ann', 100), (2, 'bob', 0)");
  }

  static Holdfast open(boolean throughPgBouncer) {
    String uri = throughPgBouncer ? bouncer.uri() : database.uri();
    return Holdfast.builder(JdbcBackend.builder(uri).maximumPoolSize(4).build()).policy(RETRYING).build();
  }

  /** Moves {@code amount} from account 1 to 2 and records it, in the unit's transaction. */
  static Transfer transfer(dev.holdfast.Transaction tx, long amount) {
    Repository<Account, Long> accounts = tx.repository(ACCOUNTS);
    Account from = accounts.findById(1L).orElseThrow();
    Account to = accounts.findById(2L).orElseThrow();
    accounts.updateById(1L, Changes.set("balance", from.balance() - amount));
    accounts.updateById(2L, Changes.set("balance", to.balance() + amount));
    return tx.repository(TRANSFERS).insert(new Transfer(null, 1, 2, amount));
  }

  static long balance(long id) throws Exception {
    try (Connection c = database.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT balance FROM accounts WHERE id = " + id)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long transfers() throws Exception {
    try (Connection c = database.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM transfers")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest(name = "through PgBouncer: {0}")
  @ValueSource(booleans = {false, true})
  void aUnitCommitsItsTypedWritesTogether(boolean throughPgBouncer) throws Exception {
    try (Holdfast db = open(throughPgBouncer)) {
      Transfer t = db.inTransaction(tx -> transfer(tx, 30));
      assertThat(t.id()).isNotNull();
      assertThat(balance(1)).isEqualTo(70);
      assertThat(balance(2)).isEqualTo(30);
      assertThat(transfers()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "through PgBouncer: {0}")
  @ValueSource(booleans = {false, true})
  void aUnitThatFailsHalfwayChangesNothing(boolean throughPgBouncer) throws Exception {
    try (Holdfast db = open(throughPgBouncer)) {
      // The CHECK constraint fails the second update, after the first one and the insert ran.
      assertThatThrownBy(() -> db.inTransaction(tx -> {
        tx.repository(TRANSFERS).insert(new Transfer(null, 1, 2, 500));
        tx.repository(ACCOUNTS).updateById(2L, Changes.set("balance", 500L));
        return tx.repository(ACCOUNTS).updateById(1L, Changes.set("balance", -400L));
      })).isInstanceOf(dev.holdfast.ConflictException.class);
      assertThat(balance(1)).isEqualTo(100);
      assertThat(balance(2)).isZero();
      assertThat(transfers()).isZero();
    }
  }

  @ParameterizedTest(name = "through PgBouncer: {0}")
  @ValueSource(booleans = {false, true})
  void twoSerializableUnitsRacingAreBothAppliedOnceTheLoserIsRunAgain(boolean throughPgBouncer) throws Exception {
    TransactionOptions serializable = TransactionOptions.defaults()
        .withIsolation(TransactionOptions.Isolation.SERIALIZABLE);
    AtomicInteger runs = new AtomicInteger();
    CyclicBarrier bothRead = new CyclicBarrier(2);
    try (Holdfast db = open(throughPgBouncer)) {
      Runnable one = () -> db.inTransaction("transfer", serializable, tx -> {
        Account from = tx.repository(ACCOUNTS).findById(1L).orElseThrow();
        if (runs.incrementAndGet() <= 2) {
          // Both first attempts read before either writes: one of them must fail with 40001.
          bothRead.await(10, TimeUnit.SECONDS);
        }
        tx.repository(ACCOUNTS).updateById(1L, Changes.set("balance", from.balance() - 10));
        return tx.repository(TRANSFERS).insert(new Transfer(null, 1, 2, 10));
      });
      CompletableFuture<Void> a = CompletableFuture.runAsync(one);
      CompletableFuture<Void> b = CompletableFuture.runAsync(one);
      a.get(30, TimeUnit.SECONDS);
      b.get(30, TimeUnit.SECONDS);
    }
    assertThat(runs.get()).as("the loser ran again").isGreaterThanOrEqualTo(3);
    assertThat(balance(1)).isEqualTo(80);
    assertThat(transfers()).isEqualTo(2);
  }

  @ParameterizedTest(name = "through PgBouncer: {0}")
  @ValueSource(booleans = {false, true})
  void aUnitWhoseConnectionIsKilledBeforeCommitRunsAgainAndCommitsOnce(boolean throughPgBouncer)
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (Holdfast db = open(throughPgBouncer)) {
      db.inTransaction(tx -> {
        Transfer t = transfer(tx, 5);
        if (runs.incrementAndGet() == 1) {
          tx.unwrap(JdbcTransaction.class).query("SELECT pg_terminate_backend(pg_backend_pid())");
        }
        return t;
      });
    }
    assertThat(runs).hasValue(2);
    assertThat(balance(1)).isEqualTo(95);
    assertThat(transfers()).isEqualTo(1);
  }

  @ParameterizedTest(name = "through PgBouncer: {0}")
  @ValueSource(booleans = {false, true})
  void optionsAndRawSqlApplyInsideTheTransaction(boolean throughPgBouncer) {
    try (Holdfast db = open(throughPgBouncer)) {
      List<String> settings = db.inTransaction("settings", TransactionOptions.defaults().withReadOnly(true)
          .withIsolation(TransactionOptions.Isolation.REPEATABLE_READ), tx -> {
            JdbcTransaction raw = tx.unwrap(JdbcTransaction.class);
            var row = raw.query("SELECT current_setting('transaction_isolation') AS i, "
                + "current_setting('transaction_read_only') AS r").get(0);
            return List.of(row.get("i").asText(), row.get("r").asText(),
                String.valueOf(tx.repository(ACCOUNTS).count(Filter.all())));
          });
      assertThat(settings).containsExactly("repeatable read", "on", "2");
      assertThat(db.capabilities().transactions()).isTrue();
    }
  }
}
