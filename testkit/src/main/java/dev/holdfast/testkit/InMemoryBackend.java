package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
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
 * <p>Like a real backend it rejects an insert or upsert of more than {@link #maxBatchSize()} rows or of rows
 * with differing columns, so tests catch callers that skip batching.
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
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    begin(context);
    return database.select(table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    begin(context);
    return database.count(table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    begin(context);
    if (fetchSize <= 0) {
      throw new IllegalArgumentException("fetchSize <= 0: " + fetchSize);
    }
    return new SnapshotCursor(database.select(table, query), fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    begin(context);
    checkBatch(table, rows);
    return database.insert(table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    begin(context);
    checkBatch(table, rows);
    return database.upsert(table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    begin(context);
    return database.update(table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    begin(context);
    return database.delete(table, filter);
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

  private void checkBatch(TableRef table, List<ObjectNode> rows) {
    if (rows.isEmpty() || rows.size() > maxBatchSize) {
      throw new InvalidRequestException("A batch of " + rows.size() + " rows for " + table.qualifiedName()
          + " is outside 1.." + maxBatchSize, ErrorDetails.of(name())
          .withHint("Split writes into batches of at most maxBatchSize() rows."), null);
    }
    ObjectNode first = rows.get(0);
    for (ObjectNode row : rows) {
      if (row.size() != first.size() || !row.properties().stream().allMatch(e -> first.has(e.getKey()))) {
        throw new InvalidRequestException("Rows of one batch for " + table.qualifiedName()
            + " have different columns", ErrorDetails.of(name())
            .withHint("Send rows with the same columns in one batch."), null);
      }
    }
  }

  @Override
  public String toString() {
    return "InMemoryBackend{" + database + (closed.get() ? ", closed" : "") + "}";
  }
}
