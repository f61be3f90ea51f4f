package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.Capabilities;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.TransactionOptions;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.spi.TransactionWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A holdfast {@link Backend} over an {@link InMemoryDatabase}, for users' tests and for holdfast's own: the same
 * Repository and KeyValueStore code runs over it as over PostgreSQL, and it passes the same contract suite.
 * Scripted faults ({@link #failNext}) let a test make the next calls fail, to exercise retries and safe calls.
 * Thread-safe.
 *
 * <pre>{@code
 * InMemoryDatabase db = new InMemoryDatabase();
 * db.createTable("public", "tasks", "id", true);
 * try (Holdfast holdfast = Holdfast.builder(new InMemoryBackend(db)).build()) {
 *   Repository<Task, Long> tasks = holdfast.repository(TASKS);
 *   tasks.insert(new Task(null, "Write the README", false, null));
 * }
 * }</pre>
 *
 * <p>Like a real backend it rejects an insert or upsert of more than {@link #maxBatchSize()} rows, so tests catch
 * callers that skip batching. {@link Holdfast#inTransaction} is atomic: other calls wait, and a failed unit leaves
 * nothing behind.
 */
public final class InMemoryBackend implements Backend {
  private final InMemoryDatabase database;
  private final int maxBatchSize;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong calls = new AtomicLong();
  private final ScriptedFaults faults = new ScriptedFaults();

  /** A backend over a new, empty database. */
  public InMemoryBackend() {
    this(new InMemoryDatabase());
  }

  /** A backend over {@code database}, which it shares with whoever else holds it; batches of at most 500 rows. */
  public InMemoryBackend(InMemoryDatabase database) {
    this(database, 500);
  }

  /**
   * A backend over {@code database} that accepts at most {@code maxBatchSize} rows per insert or upsert.
   *
   * @throws NullPointerException if {@code database} is null
   * @throws IllegalArgumentException if {@code maxBatchSize} is not positive
   */
  public InMemoryBackend(InMemoryDatabase database, int maxBatchSize) {
    this.database = Objects.requireNonNull(database, "database");
    if (maxBatchSize <= 0) {
      throw new IllegalArgumentException("maxBatchSize <= 0: " + maxBatchSize);
    }
    this.maxBatchSize = maxBatchSize;
  }

  /** The database this backend serves. */
  public InMemoryDatabase database() {
    return database;
  }

  /**
   * Makes each of the next {@code n} data calls (select, count, stream, insert, upsert, update, delete) throw
   * what {@code failure} supplies instead of running; added to any faults already scripted.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public void failNext(int n, Supplier<? extends HoldfastException> failure) {
    faults.add(n, failure);
  }

  /** How many scripted faults have not fired yet. */
  public int pendingFaults() {
    return faults.pending();
  }

  /** How many data calls reached this backend (including those a scripted fault failed). */
  public long calls() {
    return calls.get();
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, false);
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
    begin(context);
    return records(table, database.select(table.ref(), query));
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    begin(context);
    return database.count(table, filter);
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    begin(context);
    if (fetchSize <= 0) {
      throw new IllegalArgumentException("fetchSize <= 0: " + fetchSize);
    }
    return new SnapshotCursor<>(records(table, database.select(table.ref(), query)), fetchSize);
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    begin(context);
    checkBatch(table.ref(), rows);
    return records(table, database.insert(table.ref(), json(table, rows, columns)));
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflictColumns,
      WriteMode mode) {
    begin(context);
    checkBatch(table.ref(), rows);
    return records(table, database.upsert(table.ref(), json(table, rows, null), conflictColumns));
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    begin(context);
    ObjectNode set = table.mapper().createObjectNode();
    changes.forEach((column, value) -> set.set(column, table.valueToJson(value)));
    return records(table, database.update(table.ref(), filter, set));
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    begin(context);
    return database.delete(table, filter);
  }

  /**
   * Runs {@code work} atomically: other calls on the database wait until it ends, and a failure undoes every
   * change it made.
   */
  @Override
  public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    begin(context);
    try {
      return database.inTransaction(() -> work.run(new Bound()));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  private static <T> List<T> records(TableMapping<T> table, List<ObjectNode> rows) {
    List<T> out = new ArrayList<>(rows.size());
    for (ObjectNode row : rows) {
      out.add(table.fromJson(row));
    }
    return out;
  }

  private static <T> List<ObjectNode> json(TableMapping<T> table, List<T> rows, List<String> columns) {
    List<ObjectNode> out = new ArrayList<>(rows.size());
    for (T row : rows) {
      out.add(table.toJson(row, columns));
    }
    return out;
  }

  /** This backend inside a transaction: the same calls, and no nesting. */
  private final class Bound extends ForwardingBackend {
    Bound() {
      super(InMemoryBackend.this);
    }

    @Override
    public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
      throw new IllegalStateException("already in a transaction");
    }

    @Override
    public void close() {
      // The transaction ends with its unit; the backend stays open.
    }
  }

  @Override
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** UP while open, DOWN once closed; never throws. */
  @Override
  public HealthReport check(Duration timeout) {
    boolean open = !closed.get();
    return new HealthReport(open ? HealthReport.Status.UP : HealthReport.Status.DOWN, Duration.ZERO,
        open ? "in-memory database" : "backend closed", Map.of("backend", name()));
  }

  /** Marks the backend closed; later data calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    closed.set(true);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  private void begin(CallContext context) {
    Objects.requireNonNull(context, "context");
    if (closed.get()) {
      throw new IllegalStateException("InMemoryBackend is closed");
    }
    calls.incrementAndGet();
    HoldfastException fault = faults.next();
    if (fault != null) {
      throw fault;
    }
  }

  private void checkBatch(TableRef table, List<?> rows) {
    if (rows.isEmpty() || rows.size() > maxBatchSize) {
      throw new InvalidRequestException("A batch of " + rows.size() + " rows for " + table.qualifiedName()
          + " is outside 1.." + maxBatchSize, ErrorDetails.of(name())
          .withHint("Split writes into batches of at most maxBatchSize() rows."), null);
    }
  }

  @Override
  public String toString() {
    return "InMemoryBackend{" + database + (closed.get() ? ", closed" : "") + "}";
  }
}
