package dev.holdfast;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Repository} with {@link CompletableFuture} results. Attempts run on the guard's {@link Scheduler}
 * workers and backoff waits are scheduled on it, never on the caller's thread. The futures complete
 * exceptionally with the same {@link HoldfastException} types the blocking methods throw. Thread-safe.
 *
 * @param <T> the record type of a row
 * @param <ID> the id type
 */
public interface AsyncRepository<T, ID> {
  /** See {@link Repository#findById}. */
  CompletableFuture<Optional<T>> findById(ID id);

  /** See {@link Repository#find}. */
  CompletableFuture<List<T>> find(Query query);

  /** See {@link Repository#count}. */
  CompletableFuture<Long> count(Filter filter);

  /** See {@link Repository#page}. */
  CompletableFuture<Page<T>> page(Query query, PageRequest request);

  /** See {@link Repository#insert}. */
  CompletableFuture<T> insert(T row);

  /** See {@link Repository#insertAll}. */
  CompletableFuture<List<T>> insertAll(List<T> rows);

  /** See {@link Repository#upsert}. */
  CompletableFuture<T> upsert(T row);

  /** See {@link Repository#upsertAll}. */
  CompletableFuture<List<T>> upsertAll(List<T> rows);

  /** See {@link Repository#updateById}. */
  CompletableFuture<Optional<T>> updateById(ID id, Changes changes);

  /** See {@link Repository#updateWhere}. */
  CompletableFuture<List<T>> updateWhere(Filter filter, Changes changes);

  /** See {@link Repository#deleteById}. */
  CompletableFuture<Boolean> deleteById(ID id);

  /** See {@link Repository#deleteWhere}. */
  CompletableFuture<Long> deleteWhere(Filter filter);
}
