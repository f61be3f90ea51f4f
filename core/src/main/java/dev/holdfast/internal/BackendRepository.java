package dev.holdfast.internal;

import dev.holdfast.AsyncRepository;
import dev.holdfast.Attempt;
import dev.holdfast.BulkheadFullException;
import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.Changes;
import dev.holdfast.CircuitOpenException;
import dev.holdfast.ConflictException;
import dev.holdfast.DeadlineExceededException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.Guard;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Page;
import dev.holdfast.PageRequest;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.RetryBudgetExhaustedException;
import dev.holdfast.Table;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@link Repository} over a {@link Backend}: each method builds one or more {@link Op}s that run through a
 * {@link Caller} (the guard, or a transaction); the blocking and the async variants run the same ops. Internal;
 * thread-safe.
 *
 * <p>Writes that may be repeated say what happened, not what the last attempt saw: an insert of rows that carry
 * their own ids reads them back after an ambiguous failure (the same rows stored is success, none is a retry,
 * others are a conflict); {@code updateById} and {@code deleteById} that follow an attempt that may have applied
 * account for it (see {@link Tracked}).
 */
public final class BackendRepository<T, ID> implements Repository<T, ID> {
  private static final int STREAM_FETCH_SIZE = 500;

  private final Backend backend;
  private final Caller caller;
  private final Table<T, ID> table;
  private final TableMapping<T> mapping;
  private final TableRef ref;
  private final WriteMode mode;
  private final String name;
  /** Operation names ({@code tasks.findById}), made once: every call names its operation. */
  private final java.util.concurrent.ConcurrentHashMap<String, String> operations =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final int idIndex;

  public BackendRepository(Backend backend, Guard guard, Table<T, ID> table) {
    this(backend, Caller.guarded(guard), table, table.writeMode());
  }

  /**
   * A repository whose calls run through {@code caller}, with {@code mode} for the writes that are
   * {@link WriteMode#CONFIRMED} by default.
   */
  public BackendRepository(Backend backend, Caller caller, Table<T, ID> table, WriteMode mode) {
    this.backend = backend;
    this.caller = caller;
    this.table = table;
    this.mapping = table.mapping();
    this.ref = table.ref();
    this.mode = mode;
    this.name = table.name();
    this.idIndex = mapping.indexOf(ref.idColumn());
  }

  /** One call: what it is, the attempt, and how its result becomes the method's result. */
  record Op<R, V>(Call call, Attempt<R> attempt, Function<R, V> result) {
    V run(Caller caller) {
      try {
        return result.apply(caller.call(call, attempt));
      } catch (RuntimeException e) {
        throw outcome(e);
      }
    }

    CompletableFuture<V> runAsync(Caller caller) {
      return caller.callAsync(call, attempt).thenApply(result).handle((v, e) -> {
        if (e == null) {
          return CompletableFuture.completedFuture(v);
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause() : e;
        return CompletableFuture.<V>failedFuture(cause instanceof RuntimeException r ? outcome(r) : cause);
      }).thenCompose(Function.identity());
    }

    private RuntimeException outcome(RuntimeException failure) {
      return attempt instanceof Settles s ? s.outcome(failure) : failure;
    }
  }

  /** An attempt that decides what the caller gets when its call fails for good. */
  interface Settles {
    RuntimeException outcome(RuntimeException failure);
  }

  @Override
  public Table<T, ID> table() {
    return table;
  }

  @Override
  public Repository<T, ID> withWriteMode(WriteMode writeMode) {
    Objects.requireNonNull(writeMode, "writeMode");
    return writeMode == mode ? this : new BackendRepository<>(backend, caller, table, writeMode);
  }

  @Override
  public Optional<T> findById(ID id) {
    return findByIdOp(id).run(caller);
  }

  private String op(String verb) {
    String full = operations.get(verb);
    if (full == null) {
      full = operations.computeIfAbsent(verb, v -> name + "." + v);
    }
    return full;
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  private Op<List<T>, Optional<T>> findByIdOp(ID id) {
    Query q = Query.where(byId(id)).limit(1);
    return new Op<>(Call.read(op("findById")), ctx -> backend.select(ctx, mapping, q),
        BackendRepository::first);
  }

  @Override
  public List<T> find(Query query) {
    return findOp(query).run(caller);
  }

  private Op<List<T>, List<T>> findOp(Query query) {
    Query q = columns(query);
    return new Op<>(Call.read(op("find")), ctx -> backend.select(ctx, mapping, q), Function.identity());
  }

  @Override
  public long count(Filter filter) {
    return countOp(filter).run(caller);
  }

  private Op<Long, Long> countOp(Filter filter) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    return new Op<>(Call.read(op("count")), ctx -> backend.count(ctx, ref, f), Function.identity());
  }

  @Override
  public Page<T> page(Query query, PageRequest request) {
    return pageOp(query, request).run(caller);
  }

  private Op<List<T>, Page<T>> pageOp(Query query, PageRequest request) {
    Objects.requireNonNull(request, "request");
    Query q = columns(query);
    int size = request.size();
    if (!request.keyset()) {
      Query paged = q.offset(q.offset() + request.offset()).limit(size + 1);
      return new Op<>(Call.read(op("page")), ctx -> backend.select(ctx, mapping, paged), found -> {
        boolean more = found.size() > size;
        List<T> items = more ? List.copyOf(found.subList(0, size)) : found;
        return new Page<>(items, more ? Optional.of(PageRequest.offset(request.offset() + size, size))
            : Optional.empty());
      });
    }
    List<Order> keys = new ArrayList<>(q.order());
    if (keys.stream().noneMatch(o -> o.column().equals(ref.idColumn()))) {
      keys.add(Order.asc(ref.idColumn()));
    }
    Query keyed = q.orderBy(keys).limit(size + 1).offset(0);
    if (request.afterKey().isPresent()) {
      keyed = keyed.and(Filters.after(keys, request.afterKey().get()));
    }
    Query paged = keyed;
    return new Op<>(Call.read(op("page")), ctx -> backend.select(ctx, mapping, paged), found -> {
      boolean more = found.size() > size;
      List<T> onPage = more ? List.copyOf(found.subList(0, size)) : found;
      Optional<PageRequest> next = Optional.empty();
      if (more) {
        T last = onPage.get(onPage.size() - 1);
        List<Object> values = keys.stream().map(k -> keyValue(last, k.column())).toList();
        next = Optional.of(PageRequest.after(values, size));
      }
      return new Page<>(onPage, next);
    });
  }

  /** A keyset value as a filter value: what the row's JSON holds (string, number or boolean). */
  private Object keyValue(T row, String column) {
    int i = mapping.indexOf(column);
    if (i < 0) {
      throw new InvalidRequestException("Keyset paging orders by '" + column + "', which " + table.type()
          .getSimpleName() + " does not hold", ErrorDetails.of(backend.name())
          .withHint("Order keyset pages by columns of the record."), null);
    }
    return Scalars.of(mapping.valueToJson(mapping.get(row, i)), column);
  }

  @Override
  public Stream<T> stream(Query query) {
    Query q = columns(query);
    RowCursor<T> cursor = caller.call(Call.read(op("stream")),
        ctx -> backend.stream(ctx, mapping, q, STREAM_FETCH_SIZE));
    Spliterator<T> split = Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED);
    return StreamSupport.stream(split, false).onClose(cursor::close);
  }

  @Override
  public T insert(T row) {
    return insertOp(checked(row)).run(caller).get(0);
  }

  private List<T> checked(T row) {
    List<T> one = java.util.Collections.singletonList(Objects.requireNonNull(row, "row"));
    requireRows(one);
    return one;
  }

  /**
   * One batch: rows with their own ids go in one round trip and are read back after an ambiguous failure;
   * rows with server-generated keys go in the repository's mode.
   */
  private Op<List<T>, List<T>> insertOp(List<T> batch) {
    List<String> columns = nonNullColumns(batch.get(0));
    if (hasId(batch.get(0)) && caller.retries()) {
      VerifiedInsert verified = new VerifiedInsert(batch, columns);
      return new Op<>(Call.idempotentWrite(op("insert")), verified, Function.identity());
    }
    WriteMode m = hasId(batch.get(0)) ? WriteMode.ONE_ROUND_TRIP : mode;
    return new Op<>(Call.write(op("insert")), ctx -> backend.insert(ctx, mapping, batch, columns, m),
        Function.identity());
  }

  @Override
  public List<T> insertAll(List<T> rows) {
    List<T> stored = new ArrayList<>();
    for (List<T> batch : insertBatches(rows)) {
      stored.addAll(insertOp(batch).run(caller));
    }
    return stored;
  }

  /**
   * Rows in batches of at most the backend's size, each batch with one set of columns. Checks every value first
   * (as {@link #requireRows} does), in the same pass: each value is read once, and a row's set of non-null
   * columns is compared with the previous row's without building it.
   */
  private List<List<T>> insertBatches(List<T> records) {
    Objects.requireNonNull(records, "rows");
    int max = backend.maxBatchSize();
    List<List<T>> batches = new ArrayList<>();
    List<T> batch = new ArrayList<>(Math.min(records.size(), max));
    boolean[] nulls = new boolean[mapping.size()];
    boolean[] previous = new boolean[mapping.size()];
    for (int i = 0; i < records.size(); i++) {
      T row = records.get(i);
      if (row == null) {
        throw new NullPointerException("rows[" + i + "] is null");
      }
      boolean sameColumns = true;
      for (int c = 0; c < nulls.length; c++) {
        Object value = mapping.get(row, c);
        requireStorable(value, mapping.column(c));
        nulls[c] = value == null;
        sameColumns &= nulls[c] == previous[c];
      }
      if (!batch.isEmpty() && (!sameColumns || batch.size() == max)) {
        batches.add(batch);
        batch = new ArrayList<>(Math.min(records.size() - i, max));
      }
      batch.add(row);
      boolean[] swap = previous;
      previous = nulls;
      nulls = swap;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /** The columns of {@code row}'s non-null components: the others are left to column defaults. */
  private List<String> nonNullColumns(T row) {
    List<String> out = new ArrayList<>(mapping.size());
    for (int i = 0; i < mapping.size(); i++) {
      if (mapping.get(row, i) != null) {
        out.add(mapping.column(i));
      }
    }
    return out;
  }

  private boolean hasId(T row) {
    return idIndex >= 0 && mapping.get(row, idIndex) != null;
  }

  @Override
  public T upsert(T row) {
    return upsertOp(List.of(upsertRow(row))).run(caller).get(0);
  }

  @Override
  public List<T> upsertAll(List<T> records) {
    List<T> stored = new ArrayList<>();
    for (List<T> batch : upsertBatches(records)) {
      stored.addAll(upsertOp(batch).run(caller));
    }
    return stored;
  }

  private List<List<T>> upsertBatches(List<T> records) {
    requireRows(records);
    List<List<T>> batches = new ArrayList<>();
    for (int i = 0; i < records.size(); i += backend.maxBatchSize()) {
      batches.add(records.subList(i, Math.min(records.size(), i + backend.maxBatchSize())).stream()
          .map(this::upsertRow).toList());
    }
    return batches;
  }

  private T upsertRow(T row) {
    Objects.requireNonNull(row, "row");
    for (int c = 0; c < mapping.size(); c++) {
      requireStorable(mapping.get(row, c), mapping.column(c));
    }
    if (!hasId(row)) {
      throw new InvalidRequestException("An upsert into " + ref.qualifiedName() + " needs a value for "
          + ref.idColumn(), ErrorDetails.of(backend.name()).withHint("Set the id, or use insert."), null);
    }
    return row;
  }

  private Op<List<T>, List<T>> upsertOp(List<T> batch) {
    List<String> conflict = List.of(ref.idColumn());
    return new Op<>(Call.idempotentWrite(op("upsert")),
        ctx -> backend.upsert(ctx, mapping, batch, conflict, WriteMode.ONE_ROUND_TRIP), Function.identity());
  }

  @Override
  public Optional<T> updateById(ID id, Changes changes) {
    return updateByIdOp(id, changes).run(caller);
  }

  private Op<List<T>, Optional<T>> updateByIdOp(ID id, Changes changes) {
    Filter f = byId(id);
    Map<String, Object> set = changes(changes);
    Tracked<List<T>> attempt = new Tracked<>(ctx -> backend.update(ctx, mapping, f, set, WriteMode.ONE_ROUND_TRIP));
    attempt.settle((ctx, updated) -> {
      if (!updated.isEmpty() || !attempt.mayHaveApplied()) {
        return updated;
      }
      // An earlier attempt may have applied the change and moved the row out of this filter (its id changed):
      // the row that now has the changed values is the one this call updated.
      Object newId = set.getOrDefault(ref.idColumn(), id);
      List<T> now = backend.select(ctx, mapping, Query.where(Filter.eq(ref.idColumn(), newId)).limit(1));
      return now.isEmpty() || !hasChanges(now.get(0), set) ? updated : now;
    });
    return new Op<>(Call.idempotentWrite(op("updateById")), attempt, BackendRepository::first);
  }

  private boolean hasChanges(T row, Map<String, Object> changes) {
    for (Map.Entry<String, Object> e : changes.entrySet()) {
      int i = mapping.indexOf(e.getKey());
      if (i >= 0 && !SameValues.same(normalized(i, e.getValue()), mapping.get(row, i))) {
        return false;
      }
    }
    return true;
  }

  /** A change's value as the component would hold it (a String given for an Instant column, say). */
  private Object normalized(int i, Object value) {
    if (value == null || mapping.rawType(i).isInstance(value)) {
      return value;
    }
    try {
      return mapping.valueFromJson(i, mapping.valueToJson(value));
    } catch (RuntimeException e) {
      return value;
    }
  }

  @Override
  public List<T> updateWhere(Filter filter, Changes changes) {
    return updateWhereOp(filter, changes).run(caller);
  }

  private Op<List<T>, List<T>> updateWhereOp(Filter filter, Changes changes) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    Map<String, Object> set = changes(changes);
    return new Op<>(Call.write(op("updateWhere")), ctx -> backend.update(ctx, mapping, f, set, mode),
        Function.identity());
  }

  @Override
  public boolean deleteById(ID id) {
    return deleteByIdOp(id).run(caller);
  }

  private Op<Long, Boolean> deleteByIdOp(ID id) {
    Filter f = byId(id);
    Tracked<Long> attempt = new Tracked<>(ctx -> backend.delete(ctx, ref, f, WriteMode.ONE_ROUND_TRIP));
    // Nothing left to delete after an attempt that may have deleted it: the row is gone, and this call is why
    // (or it never existed, which no later read can tell apart).
    attempt.settle((ctx, deleted) -> deleted == 0 && attempt.mayHaveApplied() ? 1L : deleted);
    return new Op<>(Call.idempotentWrite(op("deleteById")), attempt, n -> n > 0);
  }

  @Override
  public long deleteWhere(Filter filter) {
    return deleteWhereOp(filter).run(caller);
  }

  private Op<Long, Long> deleteWhereOp(Filter filter) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    return new Op<>(Call.write(op("deleteWhere")), ctx -> backend.delete(ctx, ref, f, mode),
        Function.identity());
  }

  @Override
  public AsyncRepository<T, ID> async() {
    return new Async();
  }

  /**
   * Every row, checked before anything is sent: a null list or row is a programmer error naming its index; a
   * value no backend could store (see {@link #requireStorable}) is an invalid request.
   */
  private void requireRows(List<T> records) {
    Objects.requireNonNull(records, "rows");
    for (int i = 0; i < records.size(); i++) {
      T row = records.get(i);
      if (row == null) {
        throw new NullPointerException("rows[" + i + "] is null");
      }
      for (int c = 0; c < mapping.size(); c++) {
        requireStorable(mapping.get(row, c), mapping.column(c));
      }
    }
  }

  /**
   * Refuses, on every backend alike and before anything is sent, a value that PostgreSQL could not store: a string
   * with the NUL character anywhere in it, or a value Jackson cannot write. Scalars are checked directly; anything
   * else is converted once, by the mapping's reference conversion.
   */
  private void requireStorable(Object value, String column) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof java.util.UUID
        || value instanceof java.time.temporal.TemporalAccessor || value instanceof Enum<?>
        || value instanceof byte[]) {
      return;
    }
    if (value instanceof CharSequence text) {
      Values.requireNoNul(text.toString(), "the value for column " + column);
    } else if (value instanceof Character ch) {
      Values.requireNoNul(String.valueOf(ch), "the value for column " + column);
    } else {
      mapping.valueToJson(value, column);
    }
  }

  private Filter byId(ID id) {
    return Filter.eq(ref.idColumn(), Objects.requireNonNull(id, "id"));
  }

  private Query columns(Query query) {
    return Filters.mapColumns(Objects.requireNonNull(query, "query"), table::column);
  }

  private Map<String, Object> changes(Changes changes) {
    Objects.requireNonNull(changes, "changes");
    Map<String, Object> out = new LinkedHashMap<>();
    changes.values().forEach((k, v) -> {
      String column = table.column(k);
      requireStorable(v, column);
      out.put(column, v);
    });
    return out;
  }

  @Override
  public String toString() {
    return "Repository{" + table + ", backend=" + backend.name() + "}";
  }

  /**
   * An attempt that remembers whether an earlier attempt of the same call failed after its request may have
   * reached the server, and may settle its result with that knowledge.
   */
  static final class Tracked<R> implements Attempt<R> {
    /** Adjusts a successful attempt's result. */
    interface Settle<R> {
      R apply(CallContext ctx, R result) throws Exception;
    }

    private final Attempt<R> attempt;
    private Settle<R> settle = (ctx, r) -> r;
    private volatile boolean mayHaveApplied;

    Tracked(Attempt<R> attempt) {
      this.attempt = attempt;
    }

    void settle(Settle<R> settle) {
      this.settle = settle;
    }

    boolean mayHaveApplied() {
      return mayHaveApplied;
    }

    @Override
    public R run(CallContext ctx) throws Exception {
      R result;
      try {
        result = attempt.run(ctx);
      } catch (TransientException e) {
        if (e.requestSent()) {
          mayHaveApplied = true;
        }
        throw e;
      }
      return settle.apply(ctx, result);
    }
  }

  /**
   * An insert of rows with their own ids, safe to repeat because each attempt after an ambiguous one first reads
   * the ids back. When the call still ends without an answer, it ends in {@link UnknownOutcomeException}.
   */
  private final class VerifiedInsert implements Attempt<List<T>>, Settles {
    private final List<T> rows;
    private final List<String> columns;
    private volatile boolean mayHaveApplied;

    VerifiedInsert(List<T> rows, List<String> columns) {
      this.rows = rows;
      this.columns = columns;
    }

    @Override
    public List<T> run(CallContext ctx) {
      if (mayHaveApplied) {
        List<T> stored = readBack(ctx);
        if (stored != null) {
          return stored;
        }
      }
      try {
        return backend.insert(ctx, mapping, rows, columns, WriteMode.ONE_ROUND_TRIP);
      } catch (TransientException e) {
        if (e.requestSent()) {
          mayHaveApplied = true;
        }
        throw e;
      } catch (ConflictException e) {
        if (!mayHaveApplied) {
          throw e;
        }
        // The earlier attempt's insert landed after this one's read-back found nothing.
        List<T> stored = readBack(ctx);
        if (stored != null) {
          return stored;
        }
        throw e;
      }
    }

    /**
     * The rows as stored when every one of them is there as written; null when none is (so the insert may run);
     * a {@link ConflictException} when other rows hold these ids.
     */
    private List<T> readBack(CallContext ctx) {
      List<Object> ids = new ArrayList<>(rows.size());
      for (T row : rows) {
        ids.add(mapping.get(row, idIndex));
      }
      List<T> found = backend.select(ctx, mapping, Query.where(Filter.in(ref.idColumn(), ids)));
      if (found.isEmpty()) {
        return null;
      }
      Map<Object, T> byId = new HashMap<>();
      for (T row : found) {
        byId.put(key(mapping.get(row, idIndex)), row);
      }
      List<T> stored = new ArrayList<>(rows.size());
      for (T row : rows) {
        T there = byId.get(key(mapping.get(row, idIndex)));
        if (there == null || !sameColumns(row, there)) {
          throw new ConflictException("Another row already holds id " + mapping.get(row, idIndex) + " in "
              + ref.qualifiedName() + " (this insert's earlier attempt may or may not have reached the server)",
              ErrorDetails.of(backend.name()).withHint("Read the row to see what is stored, or choose another id."),
              null, null);
        }
        stored.add(there);
      }
      return stored;
    }

    private boolean sameColumns(T written, T stored) {
      for (String c : columns) {
        int i = mapping.indexOf(c);
        if (!SameValues.same(mapping.get(written, i), mapping.get(stored, i))) {
          return false;
        }
      }
      return true;
    }

    /** Ids compare by value whatever their Java type (a Long written, an Integer read). */
    private Object key(Object id) {
      return id instanceof Number n ? new java.math.BigDecimal(n.toString()).stripTrailingZeros() : id;
    }

    /** What the caller gets when the call ended while an earlier attempt may have stored the rows. */
    @Override
    public RuntimeException outcome(RuntimeException failure) {
      if (!mayHaveApplied || !(failure instanceof TransientException || failure instanceof DeadlineExceededException
          || failure instanceof CircuitOpenException || failure instanceof RetryBudgetExhaustedException
          || failure instanceof BulkheadFullException)) {
        return failure;
      }
      HoldfastException h = (HoldfastException) failure;
      UnknownOutcomeException unknown = new UnknownOutcomeException("The insert into " + ref.qualifiedName()
          + " may or may not have been stored: an attempt reached the server and its answer was lost, and the "
          + "rows could not be read back (" + h.getMessage() + ")", ErrorDetails.of(backend.name())
          .withCode(h.code().orElse(null)).withHint("Read the rows back by id to find out, or insert them again: "
              + "holdfast reads the ids first."), failure);
      return unknown;
    }
  }

  /** The async view: the same ops, run with {@link Caller#callAsync}. */
  private final class Async implements AsyncRepository<T, ID> {
    @Override
    public CompletableFuture<Optional<T>> findById(ID id) {
      return start(() -> findByIdOp(id));
    }

    @Override
    public CompletableFuture<List<T>> find(Query query) {
      return start(() -> findOp(query));
    }

    @Override
    public CompletableFuture<Long> count(Filter filter) {
      return start(() -> countOp(filter));
    }

    @Override
    public CompletableFuture<Page<T>> page(Query query, PageRequest request) {
      return start(() -> pageOp(query, request));
    }

    @Override
    public CompletableFuture<T> insert(T row) {
      return start(() -> insertOp(checked(row))).thenApply(stored -> stored.get(0));
    }

    @Override
    public CompletableFuture<List<T>> insertAll(List<T> records) {
      return sequence(() -> insertBatches(records), BackendRepository.this::insertOp);
    }

    @Override
    public CompletableFuture<T> upsert(T row) {
      return start(() -> upsertOp(List.of(upsertRow(row)))).thenApply(stored -> stored.get(0));
    }

    @Override
    public CompletableFuture<List<T>> upsertAll(List<T> records) {
      return sequence(() -> upsertBatches(records), BackendRepository.this::upsertOp);
    }

    @Override
    public CompletableFuture<Optional<T>> updateById(ID id, Changes changes) {
      return start(() -> updateByIdOp(id, changes));
    }

    @Override
    public CompletableFuture<List<T>> updateWhere(Filter filter, Changes changes) {
      return start(() -> updateWhereOp(filter, changes));
    }

    @Override
    public CompletableFuture<Boolean> deleteById(ID id) {
      return start(() -> deleteByIdOp(id));
    }

    @Override
    public CompletableFuture<Long> deleteWhere(Filter filter) {
      return start(() -> deleteWhereOp(filter));
    }

    /** Builds the op (argument errors complete the future) and runs it. */
    private <R, V> CompletableFuture<V> start(Supplier<Op<R, V>> op) {
      try {
        return run(op.get());
      } catch (HoldfastException | IllegalArgumentException | NullPointerException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** Runs one batch after another, collecting the stored rows; argument errors complete the future. */
    private CompletableFuture<List<T>> sequence(Supplier<List<List<T>>> batching,
        Function<List<T>, Op<List<T>, List<T>>> op) {
      List<List<T>> batches;
      try {
        batches = batching.get();
      } catch (HoldfastException | IllegalArgumentException | NullPointerException e) {
        return CompletableFuture.failedFuture(e);
      }
      CompletableFuture<List<T>> all = CompletableFuture.completedFuture(new ArrayList<>());
      for (List<T> batch : batches) {
        all = all.thenCompose(stored -> run(op.apply(batch)).thenApply(more -> {
          stored.addAll(more);
          return stored;
        }));
      }
      return all;
    }

    private <R, V> CompletableFuture<V> run(Op<R, V> op) {
      return op.runAsync(caller);
    }
  }
}
