package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.TransactionOptions;
import dev.holdfast.postgrest.internal.FilterSimplifier;
import dev.holdfast.postgrest.internal.HttpSpec;
import dev.holdfast.postgrest.internal.PagedCursor;
import dev.holdfast.postgrest.internal.RowChecks;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.spi.TransactionWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * holdfast's PostgREST backend, named {@code postgrest}: each SPI call is one HTTP request through a
 * {@link PostgrestClient}, within the call's {@link CallContext#timeout()}, and failures arrive already classified
 * (see the package documentation), so the {@link dev.holdfast.Guard} in front of it decides about retries.
 * Thread-safe.
 *
 * <pre>{@code
 * Backend backend = PostgrestBackend.create(PostgrestClient.builder(url).apiKey(key));
 * }</pre>
 */
public final class PostgrestBackend implements Backend {
  private final PostgrestClient client;
  private final boolean ownsClient;

  private PostgrestBackend(PostgrestClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
  }

  /**
   * A backend over a client it builds from {@code builder} and closes on {@link #close()}.
   *
   * @throws dev.holdfast.ConfigurationException if the configuration is invalid
   */
  public static PostgrestBackend create(PostgrestClient.Builder builder) {
    return new PostgrestBackend(Objects.requireNonNull(builder, "builder").build(), true);
  }

  /** A backend over {@code client}, which stays open when the backend is closed. */
  public static PostgrestBackend wrap(PostgrestClient client) {
    return new PostgrestBackend(Objects.requireNonNull(client, "client"), false);
  }

  @Override
  public String name() {
    return "postgrest";
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> mapping, Query query) {
    TableRef table = mapping.ref();
    PostgrestRequest request = client.from(table.name()).select(columns(table)).schema(table.schema())
        .filter(query.filter());
    query.order().forEach(request::order);
    query.limit().ifPresent(request::limit);
    if (query.offset() > 0) {
      request.offset(query.offset());
    }
    return request.executeRecords(context, mapping);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    PostgrestResponse response = client.from(table.name()).select(table.idColumn()).schema(table.schema())
        .filter(filter).count(CountMode.EXACT).head().execute(context);
    return response.count().orElseThrow(() -> new HoldfastException("HEAD /" + table.name()
        + " with Prefer: count=exact answered without a count in Content-Range",
        ErrorDetails.of(name()).withHttpStatus(response.status())
            .withHint("A proxy may strip Content-Range; let it pass through."), null));
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    return new PagedCursor<>(page -> select(context, table, page), query, table.ref().idColumn(), fetchSize);
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> mapping, List<T> rows, List<String> columns,
      WriteMode mode) {
    if (rows.isEmpty()) {
      return List.of();
    }
    TableRef table = mapping.ref();
    List<ObjectNode> sent = json(mapping, rows, columns);
    RowChecks.require(sent, table.qualifiedName());
    List<ObjectNode> stored = client.from(table.name()).insert(sent).select(columns(table)).schema(table.schema())
        .execute(context).rows();
    return records(mapping, requireAll(stored, rows.size(), table, "insert"));
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> mapping, List<T> rows,
      List<String> conflictColumns, WriteMode mode) {
    if (rows.isEmpty()) {
      return List.of();
    }
    TableRef table = mapping.ref();
    List<ObjectNode> sent = json(mapping, rows, null);
    RowChecks.require(sent, table.qualifiedName());
    List<ObjectNode> stored = client.from(table.name()).upsert(sent)
        .onConflict(conflictColumns.toArray(String[]::new)).select(columns(table)).schema(table.schema())
        .execute(context).rows();
    return records(mapping, requireAll(stored, rows.size(), table, "upsert"));
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> mapping, Filter filter,
      Map<String, Object> changes, WriteMode mode) {
    TableRef table = mapping.ref();
    ObjectNode set = mapping.mapper().createObjectNode();
    changes.forEach((column, value) -> set.set(column, mapping.valueToJson(value, column)));
    RowChecks.require(set, table.qualifiedName());
    return records(mapping, client.from(table.name()).update(set).filter(whereClause(table, filter))
        .requireFilter().select(columns(table)).schema(table.schema()).execute(context).rows());
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    // return=representation of the id alone: the body's length is the count on every PostgREST version.
    return client.from(table.name()).delete().filter(whereClause(table, filter)).requireFilter()
        .select(table.idColumn()).schema(table.schema()).execute(context).rows().size();
  }

  /**
   * {@code stored}, when it holds a row for each of the {@code sent} rows. PostgREST answers 201 with fewer rows
   * when a BEFORE trigger returned NULL (PostgreSQL then skips the row) or a rule rewrote the statement: the rows
   * were not stored as asked, which is an error, not a shorter list the caller would index past.
   */
  private List<ObjectNode> requireAll(List<ObjectNode> stored, int sent, TableRef table, String what) {
    if (stored.size() == sent) {
      return stored;
    }
    throw new HoldfastException("The " + what + " into " + table.qualifiedName() + " of " + sent + " row"
        + (sent == 1 ? "" : "s") + " returned " + stored.size(), ErrorDetails.of(name()).withHint("A BEFORE "
            + "INSERT trigger that returns NULL, a rule or a row-level security policy kept rows from being "
            + "stored or returned; check the table's triggers and policies."), null);
  }

  /**
   * Refuses at once: PostgREST runs each request in a transaction of its own, so several calls cannot commit
   * together.
   *
   * @throws InvalidRequestException always, whose hint names {@link PostgrestClient#rpc}
   */
  @Override
  public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    throw new InvalidRequestException("PostgREST has no multi-statement transactions: each request commits on "
        + "its own", ErrorDetails.of(name()).withHint("Put the statements in one SQL function and call it as one "
        + "request: client.rpc(\"place_order\", Map.of(...)). Holdfast.capabilities() tells beforehand."), null);
  }

  /** HEAD on the base URL (PostgREST's OpenAPI root): UP on 2xx, DOWN with the classified failure otherwise. */
  @Override
  public HealthReport check(Duration timeout) {
    long start = System.nanoTime();
    try {
      client.transport().execute(new HttpSpec("HEAD", List.of(), List.of(), Map.of(), null, timeout),
          (status, headers, body) -> status);
      return new HealthReport(HealthReport.Status.UP, elapsed(start), "PostgREST answered", Map.of());
    } catch (HoldfastException e) {
      return new HealthReport(HealthReport.Status.DOWN, elapsed(start), e.getMessage(),
          Map.of("error", e.getClass().getSimpleName()));
    } catch (IllegalStateException e) {
      return new HealthReport(HealthReport.Status.DOWN, elapsed(start), "closed", Map.of());
    }
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * {@code filter}, or for a filter that matches every row, "id is not null": the same rows, but a request with a
   * WHERE clause, which Supabase's pg-safeupdate demands of every UPDATE and DELETE.
   */
  private static Filter whereClause(TableRef table, Filter filter) {
    return FilterSimplifier.isTrue(FilterSimplifier.simplify(filter)) ? Filter.isNotNull(table.idColumn()) : filter;
  }

  private static <T> List<T> records(TableMapping<T> mapping, List<ObjectNode> rows) {
    List<T> out = new ArrayList<>(rows.size());
    for (ObjectNode row : rows) {
      out.add(mapping.fromJson(row));
    }
    return out;
  }

  private static <T> List<ObjectNode> json(TableMapping<T> mapping, List<T> rows, List<String> columns) {
    List<ObjectNode> out = new ArrayList<>(rows.size());
    for (T row : rows) {
      out.add(mapping.toJson(row, columns));
    }
    return out;
  }

  private static String columns(TableRef table) {
    return table.columns().isEmpty() ? "*" : String.join(",", table.columns());
  }

  /** Closes the client if this backend created it. Idempotent. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "PostgrestBackend{" + client + "}";
  }

}
