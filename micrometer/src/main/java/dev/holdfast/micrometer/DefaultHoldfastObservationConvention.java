package dev.holdfast.micrometer;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The default names and key values: observations {@code holdfast.call} and {@code holdfast.attempt}, named in
 * traces by the operation ({@code tasks.findById}, {@code tasks.findById attempt 2}).
 *
 * <p>Low-cardinality key values (on meters and spans): {@code holdfast.backend}, {@code holdfast.operation},
 * {@code holdfast.outcome}, {@code db.system.name} ({@code postgresql} for the {@code jdbc} and {@code postgrest}
 * backends, else {@code other_sql}), {@code db.operation.name}, and on attempts {@code holdfast.attempt}.
 * High-cardinality ones (spans only, present when known): {@code db.collection.name}, {@code
 * db.response.status_code} (SQLSTATE or PostgREST code of a failed attempt), {@code error.type}, and on calls
 * {@code holdfast.attempts}. The database names follow OpenTelemetry's database semantic conventions.
 *
 * <p>{@code db.operation.name} and {@code db.collection.name} come from the operation name: a repository call
 * {@code <table>.<method>} gives the method and the table, a key-value call {@code kv.<table>.<method>} likewise;
 * any other operation (a DAO method, a transaction) is its own operation name, without a collection. Thread-safe.
 */
public class DefaultHoldfastObservationConvention implements HoldfastObservationConvention {
  private static final Set<String> REPOSITORY_METHODS = Set.of("findById", "find", "count", "page", "stream",
      "insert", "upsert", "updateById", "updateWhere", "deleteById", "deleteWhere");
  private static final int MAX_CACHED = 1024;

  private final ConcurrentMap<String, Names> names = new ConcurrentHashMap<>();

  /** None: the context's own name stays, {@code holdfast.call} or {@code holdfast.attempt}. */
  @Override
  public String getName() {
    return null;
  }

  @Override
  public String getContextualName(HoldfastObservationContext context) {
    String operation = context.call().operation();
    return context.isAttempt() ? operation + " attempt " + context.attempt() : operation;
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(HoldfastObservationContext context) {
    KeyValues values = KeyValues.of(
        KeyValue.of("holdfast.backend", context.call().backend()),
        KeyValue.of("holdfast.operation", context.call().operation()),
        KeyValue.of("holdfast.outcome", context.outcome()),
        KeyValue.of("db.system.name", dbSystem(context.call().backend())),
        KeyValue.of("db.operation.name", names(context.call().operation()).operation()));
    return context.isAttempt() ? values.and("holdfast.attempt", Integer.toString(context.attempt())) : values;
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(HoldfastObservationContext context) {
    KeyValues values = KeyValues.empty();
    String collection = names(context.call().operation()).collection();
    if (collection != null) {
      values = values.and("db.collection.name", collection);
    }
    if (context.code() != null) {
      values = values.and("db.response.status_code", context.code());
    }
    if (context.getError() != null) {
      values = values.and("error.type", context.getError().getClass().getSimpleName());
    }
    if (!context.isAttempt() && !HoldfastObservationContext.UNKNOWN.equals(context.outcome())) {
      values = values.and("holdfast.attempts", Integer.toString(context.attempts()));
    }
    return values;
  }

  /** {@code postgresql} for holdfast's PostgreSQL backends, else {@code other_sql}. */
  protected String dbSystem(String backend) {
    return "jdbc".equals(backend) || "postgrest".equals(backend) ? "postgresql" : "other_sql";
  }

  private Names names(String operation) {
    Names found = names.get(operation);
    if (found == null) {
      found = Names.of(operation);
      if (names.size() < MAX_CACHED) {
        names.putIfAbsent(operation, found);
      }
    }
    return found;
  }

  private record Names(String operation, String collection) {
    static Names of(String operation) {
      String[] parts = operation.split("\\.", -1);
      if (parts.length == 2 && REPOSITORY_METHODS.contains(parts[1]) && !parts[0].isEmpty()) {
        return new Names(parts[1], parts[0]);
      }
      if (parts.length == 3 && parts[0].equals("kv") && !parts[1].isEmpty() && !parts[2].isEmpty()) {
        return new Names(parts[2], parts[1]);
      }
      return new Names(operation, null);
    }
  }
}
