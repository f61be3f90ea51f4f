package dev.holdfast.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.AsyncRepository;
import dev.holdfast.Attempt;
import dev.holdfast.Call;
import dev.holdfast.Changes;
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
import dev.holdfast.Table;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@link Repository} over a {@link Backend}: each method builds one or more guarded {@link Op}s; the blocking
 * and the async variants run the same ops. Internal; thread-safe.
 */
public final class BackendRepository<T, ID> implements Repository<T, ID> {
  private static final int STREAM_FETCH_SIZE = 500;

  private final Backend backend;
  private final Guard guard;
  private final Table<T, ID> table;
  private final TableRef ref;
  private final RowMapper<T> rows;
  private final String name;

  public BackendRepository(Backend backend, Guard guard, Table<T, ID> table) {
    this.backend = backend;
    this.guard = guard;
    this.table = table;
    this.ref = table.ref();
    this.rows = new RowMapper<>(table, backend.name());
    this.name = table.name();
  }

  /** One guarded call: what it is, the attempt, and how its result becomes the method's result. */
  record Op<R, V>(Call call, Attempt<R> attempt, Function<R, V> result) {
    V run(Guard guard) {
      return result.apply(guard.call(call, attempt));
    }

    CompletableFuture<V> runAsync(Guard guard) {
      return guard.callAsync(call, attempt).thenApply(result);
    }
  }

  @Override
  public Table<T, ID> table() {
    return table;
  }

  @Override
  public Optional<T> findById(ID id) {
    return findByIdOp(id).run(guard);
  }

  private Op<List<ObjectNode>, Optional<T>> findByIdOp(ID id) {
    Query q = Query.where(byId(id)).limit(1);
    return new Op<>(Call.read(name + ".findById"), ctx -> backend.select(ctx, ref, q),
        found -> found.stream().findFirst().map(rows::fromRow));
  }

  @Override
  public List<T> find(Query query) {
    return findOp(query).run(guard);
  }

  private Op<List<ObjectNode>, List<T>> findOp(Query query) {
    Query q = columns(query);
    return new Op<>(Call.read(name + ".find"), ctx -> backend.select(ctx, ref, q), this::toRecords);
  }

  @Override
  public long count(Filter filter) {
    return countOp(filter).run(guard);
  }

  private Op<Long, Long> countOp(Filter filter) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    return new Op<>(Call.read(name + ".count"), ctx -> backend.count(ctx, ref, f), Function.identity());
  }

  @Override
  public Page<T> page(Query query, PageRequest request) {
    return pageOp(query, request).run(guard);
  }

  private Op<List<ObjectNode>, Page<T>> pageOp(Query query, PageRequest request) {
    Objects.requireNonNull(request, "request");
    Query q = columns(query);
    int size = request.size();
    if (!request.keyset()) {
      Query paged = q.offset(q.offset() + request.offset()).limit(size + 1);
      return new Op<>(Call.read(name + ".page"), ctx -> backend.select(ctx, ref, paged), found -> {
        boolean more = found.size() > size;
        List<T> items = toRecords(more ? found.subList(0, size) : found);
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
    return new Op<>(Call.read(name + ".page"), ctx -> backend.select(ctx, ref, paged), found -> {
      boolean more = found.size() > size;
      List<ObjectNode> onPage = more ? found.subList(0, size) : found;
      Optional<PageRequest> next = Optional.empty();
      if (more) {
        ObjectNode last = onPage.get(onPage.size() - 1);
        List<Object> values = keys.stream().map(k -> RowMapper.scalar(last.get(k.column()), k.column())).toList();
        next = Optional.of(PageRequest.after(values, size));
      }
      return new Page<>(toRecords(onPage), next);
    });
  }

  @Override
  public Stream<T> stream(Query query) {
    Query q = columns(query);
    RowCursor cursor = guard.call(Call.read(name + ".stream"),
        ctx -> backend.stream(ctx, ref, q, STREAM_FETCH_SIZE));
    Spliterator<ObjectNode> split = Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED);
    return StreamSupport.stream(split, false).onClose(cursor::close).map(rows::fromRow);
  }

  @Override
  public T insert(T row) {
    return insertOp(List.of(rows.toRow(Objects.requireNonNull(row, "row"), true))).run(guard).get(0);
  }

  private Op<List<ObjectNode>, List<T>> insertOp(List<ObjectNode> batch) {
    return new Op<>(Call.write(name + ".insert"), ctx -> backend.insert(ctx, ref, batch), this::toRecords);
  }

  @Override
  public List<T> insertAll(List<T> rows) {
    List<T> stored = new ArrayList<>();
    for (List<ObjectNode> batch : insertBatches(rows)) {
      stored.addAll(insertOp(batch).run(guard));
    }
    return stored;
  }

  /** Rows in batches of at most the backend's size, each batch with one set of columns. */
  private List<List<ObjectNode>> insertBatches(List<T> records) {
    requireRows(records);
    List<List<ObjectNode>> batches = new ArrayList<>();
    List<ObjectNode> batch = new ArrayList<>();
    for (T r : records) {
      ObjectNode node = rows.toRow(r, true);
      boolean sameColumns = batch.isEmpty() || sameFields(batch.get(0), node);
      if (!sameColumns || batch.size() == backend.maxBatchSize()) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
      batch.add(node);
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  private static boolean sameFields(ObjectNode a, ObjectNode b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (var it = a.fieldNames(); it.hasNext(); ) {
      if (!b.has(it.next())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public T upsert(T row) {
    return upsertOp(List.of(upsertRow(row))).run(guard).get(0);
  }

  @Override
  public List<T> upsertAll(List<T> records) {
    List<T> stored = new ArrayList<>();
    for (List<ObjectNode> batch : upsertBatches(records)) {
      stored.addAll(upsertOp(batch).run(guard));
    }
    return stored;
  }

  private List<List<ObjectNode>> upsertBatches(List<T> records) {
    requireRows(records);
    List<List<ObjectNode>> batches = new ArrayList<>();
    for (int i = 0; i < records.size(); i += backend.maxBatchSize()) {
      batches.add(records.subList(i, Math.min(records.size(), i + backend.maxBatchSize())).stream()
          .map(this::upsertRow).toList());
    }
    return batches;
  }

  private ObjectNode upsertRow(T row) {
    ObjectNode node = rows.toRow(Objects.requireNonNull(row, "row"), false);
    if (!node.hasNonNull(ref.idColumn())) {
      throw new InvalidRequestException("An upsert into " + ref.qualifiedName() + " needs a value for "
          + ref.idColumn(), ErrorDetails.of(backend.name()).withHint("Set the id, or use insert."), null);
    }
    return node;
  }

  private Op<List<ObjectNode>, List<T>> upsertOp(List<ObjectNode> batch) {
    List<String> conflict = List.of(ref.idColumn());
    return new Op<>(Call.idempotentWrite(name + ".upsert"), ctx -> backend.upsert(ctx, ref, batch, conflict),
        this::toRecords);
  }

  @Override
  public Optional<T> updateById(ID id, Changes changes) {
    return updateByIdOp(id, changes).run(guard);
  }

  private Op<List<ObjectNode>, Optional<T>> updateByIdOp(ID id, Changes changes) {
    Filter f = byId(id);
    ObjectNode set = rows.toChanges(Objects.requireNonNull(changes, "changes"));
    return new Op<>(Call.idempotentWrite(name + ".updateById"), ctx -> backend.update(ctx, ref, f, set),
        updated -> updated.stream().findFirst().map(rows::fromRow));
  }

  @Override
  public List<T> updateWhere(Filter filter, Changes changes) {
    return updateWhereOp(filter, changes).run(guard);
  }

  private Op<List<ObjectNode>, List<T>> updateWhereOp(Filter filter, Changes changes) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    ObjectNode set = rows.toChanges(Objects.requireNonNull(changes, "changes"));
    return new Op<>(Call.write(name + ".updateWhere"), ctx -> backend.update(ctx, ref, f, set), this::toRecords);
  }

  @Override
  public boolean deleteById(ID id) {
    return deleteByIdOp(id).run(guard);
  }

  private Op<Long, Boolean> deleteByIdOp(ID id) {
    Filter f = byId(id);
    return new Op<>(Call.idempotentWrite(name + ".deleteById"), ctx -> backend.delete(ctx, ref, f), n -> n > 0);
  }

  @Override
  public long deleteWhere(Filter filter) {
    return deleteWhereOp(filter).run(guard);
  }

  private Op<Long, Long> deleteWhereOp(Filter filter) {
    Filter f = Filters.mapColumns(Objects.requireNonNull(filter, "filter"), table::column);
    return new Op<>(Call.write(name + ".deleteWhere"), ctx -> backend.delete(ctx, ref, f), Function.identity());
  }

  @Override
  public AsyncRepository<T, ID> async() {
    return new Async();
  }

  /** Every row, checked before anything is sent: a null list or row is a programmer error naming its index. */
  private static void requireRows(List<?> records) {
    Objects.requireNonNull(records, "rows");
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i) == null) {
        throw new NullPointerException("rows[" + i + "] is null");
      }
    }
  }

  private Filter byId(ID id) {
    return Filter.eq(ref.idColumn(), Objects.requireNonNull(id, "id"));
  }

  private Query columns(Query query) {
    return Filters.mapColumns(Objects.requireNonNull(query, "query"), table::column);
  }

  private List<T> toRecords(List<ObjectNode> found) {
    List<T> out = new ArrayList<>(found.size());
    for (ObjectNode row : found) {
      out.add(rows.fromRow(row));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Repository{" + table + ", backend=" + backend.name() + "}";
  }

  /** The async view: the same ops, run with {@link Guard#callAsync}. */
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
      return start(() -> insertOp(List.of(rows.toRow(Objects.requireNonNull(row, "row"), true))))
          .thenApply(stored -> stored.get(0));
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
    private <R, V> CompletableFuture<V> start(java.util.function.Supplier<Op<R, V>> op) {
      try {
        return op.get().runAsync(guard);
      } catch (HoldfastException | IllegalArgumentException | NullPointerException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** Runs one batch after another, collecting the stored rows; argument errors complete the future. */
    private CompletableFuture<List<T>> sequence(java.util.function.Supplier<List<List<ObjectNode>>> batching,
        Function<List<ObjectNode>, Op<List<ObjectNode>, List<T>>> op) {
      List<List<ObjectNode>> batches;
      try {
        batches = batching.get();
      } catch (HoldfastException | IllegalArgumentException | NullPointerException e) {
        return CompletableFuture.failedFuture(e);
      }
      CompletableFuture<List<T>> all = CompletableFuture.completedFuture(new ArrayList<>());
      for (List<ObjectNode> batch : batches) {
        all = all.thenCompose(stored -> op.apply(batch).runAsync(guard).thenApply(more -> {
          stored.addAll(more);
          return stored;
        }));
      }
      return all;
    }
  }
}
