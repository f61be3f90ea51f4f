package dev.holdfast;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads and writes the rows of one {@link Table} as records, on any backend, every call run under the
 * resilience policy. Reads and idempotent writes (upserts, updates and deletes by id) are retried on transient
 * failures; inserts and {@code *Where} writes are retried only when the request certainly never reached the
 * server, and otherwise end in {@link UnknownOutcomeException}. Failures are {@link HoldfastException}
 * subtypes. Thread-safe.
 *
 * <pre>{@code
 * try (Holdfast db = Holdfast.builder(backend).build()) {
 *   Repository<Task, Long> tasks = db.repository(TASKS);
 *   Task saved = tasks.insert(new Task(null, "Pay the invoice", false, Instant.now()));
 *   List<Task> open = tasks.find(Query.where(Filter.eq("done", false)).orderBy(Order.asc("id")));
 *   tasks.updateById(saved.id(), Changes.set("done", true));
 * }
 * }</pre>
 *
 * <p>Column names in filters, orders and changes may be record components ({@code createdAt}) or columns
 * ({@code created_at}).
 *
 * @param <T> the record type of a row
 * @param <ID> the id type
 */
public interface Repository<T, ID> {
  /** The table this repository reads and writes. */
  Table<T, ID> table();

  /** The row with {@code id}, if there is one. */
  Optional<T> findById(ID id);

  /** The rows matching {@code query}. */
  List<T> find(Query query);

  /** The number of rows matching {@code filter}. */
  long count(Filter filter);

  /**
   * One page of the rows matching {@code query}: by offset, or by keyset after the previous page's last row
   * (sorting by the query's keys then the id). {@link Page#next()} asks for the following page.
   */
  Page<T> page(Query query, PageRequest request);

  /**
   * The rows matching {@code query} as a lazily fetched stream with bounded memory. The stream holds a
   * connection until closed: use try-with-resources. Opening is retried; a failure mid-stream is not (it would
   * repeat rows) and surfaces as a {@link HoldfastException} from the stream's operation.
   */
  Stream<T> stream(Query query);

  /**
   * Inserts {@code row} and returns it as stored. A null component is left out of the insert, so the column's
   * default applies (an identity id, {@code now()}, {@code true}); use {@link #upsert} to write NULL explicitly. A
   * row that carries its id goes in one round trip and, after a failure whose answer was lost, is read back before
   * anything else: the same row stored is success, nothing stored is retried, another row is a
   * {@link ConflictException}.
   */
  T insert(T row);

  /**
   * Inserts {@code rows} in batches of the backend's batch size, one round trip per batch, and returns them as
   * stored. Batches are not atomic together: when batch k fails, batches before it are stored; the exception
   * says so.
   */
  List<T> insertAll(List<T> rows);

  /**
   * Inserts {@code row}, or replaces the stored row with the same id; returns it as stored. Safe to retry. The id
   * must be set. The row is written whole: a null component writes NULL, both when a row is inserted (column
   * defaults do not apply, so a NOT NULL column with a default fails with a {@link ConflictException}) and when one
   * is replaced (so an upsert can clear a column). To leave a column to its default, use {@link #insert}; to change
   * some columns of a stored row, use {@link #updateById}.
   */
  T upsert(T row);

  /** Upserts {@code rows} in batches, one round trip per batch; each row as {@link #upsert} writes it. Safe to retry. */
  List<T> upsertAll(List<T> rows);

  /**
   * Applies {@code changes} to the row with {@code id}; returns it as updated, or empty if there is none. After an
   * attempt whose answer was lost, the row is read back, so a change that moved it (a new id) is still reported.
   */
  Optional<T> updateById(ID id, Changes changes);

  /** Applies {@code changes} to every row matching {@code filter}; returns the updated rows. */
  List<T> updateWhere(Filter filter, Changes changes);

  /**
   * Deletes the row with {@code id}; returns whether there was one. After an attempt whose answer was lost, a
   * later attempt that finds nothing returns true: the row is gone, and the earlier attempt may have deleted it.
   */
  boolean deleteById(ID id);

  /** Deletes every row matching {@code filter}; returns how many. */
  long deleteWhere(Filter filter);

  /**
   * This repository with {@code mode} for the writes that are {@link WriteMode#CONFIRMED} by default (inserts with
   * a server-generated key, {@code updateWhere}, {@code deleteWhere}); see {@link WriteMode} for what each costs
   * and what a dropped connection then means.
   */
  Repository<T, ID> withWriteMode(WriteMode mode);

  /** The same repository with {@code CompletableFuture} results; backoff waits never block the caller. */
  AsyncRepository<T, ID> async();
}
