package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.CallContext;
import dev.holdfast.Changes;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.ForwardingBackend;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One-round-trip writes on real PostgreSQL whose connection FaultProxy cuts in each phase — before the statement
 * reaches the server, after it did and before the answer came back, after the answer — and what the repository
 * then reports, checked against the table's real contents.
 */
class AmbiguousWritesJdbcTest {
  record Note(Long id, String text) {}

  static final Table<Note, Long> NOTES = Table.builder("notes", Note.class, Long.class).build();

  private TestDatabase database;
  private FaultProxy proxy;
  private Holdfast db;
  /** The fault the next write's first attempt meets; null for none. */
  private volatile FaultProxy.Fault nextWriteFault;
  private volatile boolean resetAfterAnswer;
  private final AtomicInteger writes = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    database = TestPostgres.createDatabase();
    database.execute("CREATE TABLE notes (id bigint PRIMARY KEY, text text NOT NULL)");
    proxy = FaultProxy.start(database.host(), database.port());
    JdbcBackend jdbc = JdbcBackend.builder("postgresql://" + database.user() + "@127.0.0.1:" + proxy.port() + "/"
        + database.name()).connectTimeout(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(1)).build();
    ForwardingBackend faulty = new ForwardingBackend(jdbc) {
      @Override
      public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
          WriteMode mode) {
        return write(() -> delegate.insert(context, table, rows, columns, mode));
      }

      @Override
      public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows,
          List<String> conflictColumns, WriteMode mode) {
        return write(() -> delegate.upsert(context, table, rows, conflictColumns, mode));
      }

      @Override
      public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter,
          Map<String, Object> changes, WriteMode mode) {
        return write(() -> delegate.update(context, table, filter, changes, mode));
      }

      @Override
      public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
        return write(() -> delegate.delete(context, table, filter, mode));
      }

      @Override
      public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
        proxy.heal();
        return delegate.select(context, table, query);
      }

      private <R> R write(java.util.function.Supplier<R> call) {
        writes.incrementAndGet();
        FaultProxy.Fault fault = nextWriteFault;
        nextWriteFault = null;
        if (fault == null) {
          proxy.heal();
        } else {
          proxy.inject(fault);
        }
        R result = call.get();
        if (resetAfterAnswer) {
          resetAfterAnswer = false;
          proxy.resetAll();
        }
        return result;
      }
    };
    ResiliencePolicy policy = ResiliencePolicy.builder().maxAttempts(5).deadline(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(2)).withoutCircuitBreaker().withoutRetryBudget().build();
    db = Holdfast.builder(faulty).policy(policy).build();
    // Column types are read once per table; read them now, so that the first statement a fault meets is the write.
    notes().find(Query.all());
  }

  @AfterEach
  void stop() {
    db.close();
    proxy.close();
    database.close();
  }

  private Repository<Note, Long> notes() {
    return db.repository(NOTES);
  }

  private List<String> stored() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id || ':' || text FROM notes ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The statement never reaches PostgreSQL: the retry reads the id back, finds nothing, and inserts. */
  @Test
  void anInsertCutBeforeItReachedTheServerIsInsertedByTheRetry() throws Exception {
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.UPSTREAM);
    assertThat(notes().insert(new Note(1L, "hello"))).isEqualTo(new Note(1L, "hello"));
    assertThat(stored()).containsExactly("1:hello");
    assertThat(writes).hasValue(2);
  }

  /** PostgreSQL commits the autocommit INSERT and its answer is lost: the retry reads the same row back. */
  @Test
  void anInsertWhoseAnswerWasLostIsReadBackInsteadOfInsertedTwice() throws Exception {
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.DOWNSTREAM);
    assertThat(notes().insert(new Note(1L, "hello"))).isEqualTo(new Note(1L, "hello"));
    assertThat(stored()).containsExactly("1:hello");
    assertThat(writes).as("read back, not inserted again").hasValue(1);
  }

  /** The answer arrives and the connection dies afterwards: nothing is ambiguous, and nothing is repeated. */
  @Test
  void anInsertWhoseConnectionDiesAfterTheAnswerSucceedsOnce() throws Exception {
    resetAfterAnswer = true;
    assertThat(notes().insert(new Note(1L, "hello"))).isEqualTo(new Note(1L, "hello"));
    assertThat(notes().insert(new Note(2L, "again"))).isEqualTo(new Note(2L, "again"));
    assertThat(stored()).containsExactly("1:hello", "2:again");
  }

  /** Another row holds the id: after the lost attempt, the read-back finds it and says so. */
  @Test
  void anInsertCutBeforeTheServerMeetingAnotherRowIsAConflict() throws Exception {
    database.execute("INSERT INTO notes VALUES (1, 'someone else')");
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.UPSTREAM);
    assertThatThrownBy(() -> notes().insert(new Note(1L, "hello"))).isInstanceOf(ConflictException.class);
    assertThat(stored()).containsExactly("1:someone else");
  }

  /** A delete by id whose answer was lost: the retry deletes nothing, and the call still says the row is gone. */
  @Test
  void aDeleteByIdWhoseAnswerWasLostReportsTheDeletion() throws Exception {
    database.execute("INSERT INTO notes VALUES (1, 'bye')");
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.DOWNSTREAM);
    assertThat(notes().deleteById(1L)).isTrue();
    assertThat(stored()).isEmpty();
    // Repeated at least once (a retry can also meet a connection the pool opened through the cut).
    assertThat(writes.get()).isGreaterThanOrEqualTo(2);
  }

  /** An update by id that moved the row before its answer was lost reports the row where it is now. */
  @Test
  void anUpdateByIdWhoseAnswerWasLostReportsTheUpdatedRow() throws Exception {
    database.execute("INSERT INTO notes VALUES (1, 'draft')");
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.DOWNSTREAM);
    assertThat(notes().updateById(1L, Changes.set("id", 5L).and("text", "final")))
        .contains(new Note(5L, "final"));
    assertThat(stored()).containsExactly("5:final");
  }

  /** An upsert whose answer was lost is simply run again: the table holds it once. */
  @Test
  void anUpsertWhoseAnswerWasLostIsRepeatedSafely() throws Exception {
    nextWriteFault = new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.DOWNSTREAM);
    assertThat(notes().upsert(new Note(3L, "v2"))).isEqualTo(new Note(3L, "v2"));
    assertThat(stored()).containsExactly("3:v2");
    assertThat(writes.get()).isGreaterThanOrEqualTo(2);
  }
}
