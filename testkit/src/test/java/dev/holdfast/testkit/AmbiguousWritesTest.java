package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.CallContext;
import dev.holdfast.Changes;
import dev.holdfast.ConflictException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a repository reports when an attempt's answer was lost: a write that may have applied is accounted for by
 * the next attempt, never reported as what that attempt alone saw. Faults come from a backend that applies a call
 * and then loses its answer, or loses the request before applying it.
 */
class AmbiguousWritesTest {
  record Account(Long id, String owner, BigDecimal balance, Instant openedAt) {}

  static final Table<Account, Long> ACCOUNTS = Table.builder("accounts", Account.class, Long.class).build();
  static final Account ANN = new Account(7L, "Ann", new BigDecimal("10.50"),
      Instant.parse("2026-01-02T03:04:05.123456789Z"));

  private final InMemoryDatabase database = new InMemoryDatabase();
  private final InMemoryBackend memory = new InMemoryBackend(database);
  private final AtomicInteger inserts = new AtomicInteger();
  /** What the next calls of each kind do: "apply-then-lose", "lose-before", or nothing scripted. */
  private final java.util.Deque<String> insertFaults = new java.util.ArrayDeque<>();
  private final java.util.Deque<String> deleteFaults = new java.util.ArrayDeque<>();
  private final java.util.Deque<String> updateFaults = new java.util.ArrayDeque<>();
  private final java.util.Deque<String> selectFaults = new java.util.ArrayDeque<>();
  private Holdfast db;

  @BeforeEach
  void open() {
    database.createTable("public", "accounts", "id", true);
    Backend lossy = new ForwardingBackend(memory) {
      @Override
      public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
          WriteMode mode) {
        inserts.incrementAndGet();
        return fault(insertFaults, () -> delegate.insert(context, table, rows, columns, mode));
      }

      @Override
      public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter,
          Map<String, Object> changes, WriteMode mode) {
        return fault(updateFaults, () -> delegate.update(context, table, filter, changes, mode));
      }

      @Override
      public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
        return fault(deleteFaults, () -> delegate.delete(context, table, filter, mode));
      }

      @Override
      public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
        return fault(selectFaults, () -> delegate.select(context, table, query));
      }
    };
    db = Holdfast.builder(lossy).scheduler(new ManualScheduler())
        .policy(ResiliencePolicy.builder().maxAttempts(4).withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
  }

  private static <R> R fault(java.util.Deque<String> faults, java.util.function.Supplier<R> call) {
    String fault = faults.poll();
    if ("lose-before".equals(fault)) {
      throw lost();
    }
    R result = call.get();
    if ("apply-then-lose".equals(fault)) {
      throw lost();
    }
    return result;
  }

  private static TransientException lost() {
    return new TransientException("connection reset while waiting for the answer", ErrorDetails.of("memory")
        .withCode("08006"), null, true, null);
  }

  private Repository<Account, Long> accounts() {
    return db.repository(ACCOUNTS);
  }

  private List<Account> stored() {
    return memory.select(CallContext.of("check", java.time.Duration.ofSeconds(1)), ACCOUNTS.mapping(), Query.all());
  }

  @Test
  void anInsertWithItsOwnIdWhoseAnswerWasLostIsReadBackAndReportedStored() {
    insertFaults.add("apply-then-lose");
    Account saved = accounts().insert(ANN);
    assertThat(saved.id()).isEqualTo(7L);
    assertThat(stored()).hasSize(1);
    assertThat(inserts).as("the insert ran once; the retry read it back").hasValue(1);
  }

  @Test
  void anInsertWithItsOwnIdThatNeverArrivedIsInsertedByTheRetry() {
    insertFaults.add("lose-before");
    accounts().insert(ANN);
    assertThat(stored()).extracting(Account::owner).containsExactly("Ann");
    assertThat(inserts).hasValue(2);
  }

  @Test
  void anInsertWithItsOwnIdThatMeetsAnotherRowIsAConflict() {
    insertFaults.add("lose-before");
    // Another client holds id 7 already: this call's first attempt is lost before it gets the duplicate error.
    memory.insert(CallContext.of("other", java.time.Duration.ofSeconds(1)), ACCOUNTS.mapping(),
        List.of(new Account(7L, "Bob", BigDecimal.ONE, null)), List.of("id", "owner", "balance"),
        WriteMode.ONE_ROUND_TRIP);
    assertThatThrownBy(() -> accounts().insert(ANN)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("id 7");
    assertThat(stored()).extracting(Account::owner).containsExactly("Bob");
  }

  @Test
  void anInsertWhoseRowsCannotBeReadBackEndsAsAnUnknownOutcome() {
    insertFaults.add("apply-then-lose");
    for (int i = 0; i < 3; i++) {
      selectFaults.add("lose-before");
    }
    assertThatThrownBy(() -> accounts().insert(ANN)).isInstanceOf(UnknownOutcomeException.class)
        .hasMessageContaining("may or may not have been stored");
    assertThat(inserts).hasValue(1);
  }

  @Test
  void anInsertWithAServerKeyWhoseAnswerWasLostIsAnUnknownOutcomeAndNotRepeated() {
    insertFaults.add("apply-then-lose");
    assertThatThrownBy(() -> accounts().insert(new Account(null, "Cy", BigDecimal.ONE, null)))
        .isInstanceOf(UnknownOutcomeException.class);
    assertThat(inserts).hasValue(1);
    assertThat(stored()).hasSize(1);
  }

  @Test
  void insertAllWithOwnIdsReadsTheWholeBatchBack() {
    insertFaults.add("apply-then-lose");
    List<Account> rows = List.of(ANN, new Account(8L, "Bob", BigDecimal.TEN, ANN.openedAt()));
    assertThat(accounts().insertAll(rows)).extracting(Account::id).containsExactly(7L, 8L);
    assertThat(stored()).hasSize(2);
    assertThat(inserts).hasValue(1);
  }

  @Test
  void aDeleteByIdAfterAnAttemptThatDeletedTheRowReportsTrue() {
    accounts().insert(ANN);
    deleteFaults.add("apply-then-lose");
    assertThat(accounts().deleteById(7L)).isTrue();
    assertThat(stored()).isEmpty();
    assertThat(accounts().deleteById(7L)).as("nothing ambiguous: there is no such row").isFalse();
  }

  @Test
  void anUpdateByIdThatMovedTheRowBeforeItsAnswerWasLostReturnsTheRowWhereItIsNow() {
    accounts().insert(ANN);
    updateFaults.add("apply-then-lose");
    assertThat(accounts().updateById(7L, Changes.set("id", 9L).and("owner", "Ann B")))
        .hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(9L));
    assertThat(stored()).extracting(Account::id).containsExactly(9L);
  }

  @Test
  void anUpdateByIdOfAMissingRowIsStillEmptyAfterALostAnswer() {
    updateFaults.add("apply-then-lose");
    assertThat(accounts().updateById(7L, Changes.set("owner", "nobody"))).isEmpty();
  }
}
