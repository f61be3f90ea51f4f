package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.HoldfastException;
import dev.holdfast.Query;
import dev.holdfast.postgrest.internal.FilterSimplifier;
import dev.holdfast.postgrest.internal.HttpSpec;
import dev.holdfast.postgrest.internal.PagedCursor;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
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
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    PostgrestRequest request = client.from(table.name()).select(columns(table)).schema(table.schema())
        .filter(query.filter());
    query.order().forEach(request::order);
    query.limit().ifPresent(request::limit);
    if (query.offset() > 0) {
      request.offset(query.offset());
    }
    return request.execute(context).rows();
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
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    return new PagedCursor(page -> select(context, table, page), query, table.idColumn(), fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    return client.from(table.name()).insert(rows).select(columns(table)).schema(table.schema())
        .execute(context).rows();
  }

  @Override
  public List<ObjectNode> upsert(
      CallContext context, TableRef table, List<ObjectNode> rows, List<String> conflictColumns) {
    if (rows.isEmpty()) {
      return List.of();
    }
    return client.from(table.name()).upsert(rows).onConflict(conflictColumns.toArray(String[]::new))
        .select(columns(table)).schema(table.schema()).execute(context).rows();
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    return client.from(table.name()).update(changes).filter(whereClause(table, filter)).select(columns(table))
        .schema(table.schema()).execute(context).rows();
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    // return=representation of the id alone: the body's length is the count on every PostgREST version.
    return client.from(table.name()).delete().filter(whereClause(table, filter)).select(table.idColumn())
        .schema(table.schema())
        .execute(context).rows().size();
  }

  /** HEAD on the base URL (PostgREST's OpenAPI root): UP on 2xx, DOWN with the classified failure otherwise. */
  @Override
  public HealthReport check(Duration timeout) {
    long start = System.nanoTime();
    try {
      client.transport().execute(new HttpSpec("HEAD", List.of(), List.of(), Map.of(), null, timeout));
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
