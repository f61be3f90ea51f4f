package dev.holdfast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A scripted in-memory backend for one key-value table: queued failures are thrown by the next calls, and keys
 * marked poisonous fail every read that asks for them. Records the threads its calls ran on.
 */
final class KvBackend implements Backend {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, JsonNode> rows = new TreeMap<>();
  private final Deque<Supplier<RuntimeException>> failures = new ArrayDeque<>();
  private final Map<String, Supplier<RuntimeException>> poisoned = new ConcurrentHashMap<>();
  volatile java.util.concurrent.CountDownLatch gate;
  /** Runs once, after the next read took its snapshot and before it answers: a write that overlaps the read. */
  volatile Runnable afterRead;
  final List<String> threads = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();

  static TransientException connectionReset() {
    return new TransientException("connection reset", ErrorDetails.of("fake").withCode("08006"), null);
  }

  static TransientException refused() {
    return new TransientException("connection refused", ErrorDetails.of("fake"), null, false, null);
  }

  synchronized KvBackend put(String key, Object value) {
    rows.put(key, MAPPER.valueToTree(value));
    return this;
  }

  synchronized KvBackend remove(String key) {
    rows.remove(key);
    return this;
  }

  /** The next {@code times} calls throw what {@code failure} makes. */
  synchronized KvBackend failNext(int times, Supplier<RuntimeException> failure) {
    for (int i = 0; i < times; i++) {
      failures.add(failure);
    }
    return this;
  }

  /** Every read that asks for {@code key} throws what {@code failure} makes. */
  KvBackend poison(String key, Supplier<RuntimeException> failure) {
    poisoned.put(key, failure);
    return this;
  }

  synchronized JsonNode stored(String key) {
    return rows.get(key);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
    enter("select");
    List<String> keys = keysOf(query.filter());
    for (String key : keys == null ? List.<String>of() : keys) {
      if (poisoned.containsKey(key)) {
        throw poisoned.get(key).get();
      }
    }
    List<T> out = new ArrayList<>();
    synchronized (this) {
      rows.forEach((k, v) -> {
        if (keys == null ? k.startsWith(prefixOf(query.filter())) : keys.contains(k)) {
          ObjectNode row = MAPPER.createObjectNode();
          row.put("key", k);
          row.set("value", v.deepCopy());
          out.add(table.fromJson(row));
        }
      });
    }
    Runnable hook = afterRead;
    afterRead = null;
    if (hook != null) {
      hook.run();
    }
    return out;
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflict,
      WriteMode mode) {
    enter("upsert");
    synchronized (this) {
      rows.forEach(r -> {
        ObjectNode row = table.toJson(r, null);
        this.rows.put(row.get("key").asText(), row.get("value"));
      });
    }
    return rows;
  }

  private void enter(String call) {
    threads.add(Thread.currentThread().getName());
    if (gate != null) {
      try {
        if (!gate.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    calls.add(call);
    Supplier<RuntimeException> failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      throw failure.get();
    }
  }

  /** The keys an eq or in filter asks for; null for a prefix filter. */
  private static List<String> keysOf(Filter filter) {
    if (filter instanceof Filter.Compare c) {
      return List.of((String) c.value());
    }
    if (filter instanceof Filter.In in) {
      return in.values().stream().map(String.class::cast).toList();
    }
    return null;
  }

  private static String prefixOf(Filter filter) {
    String pattern = ((Filter.Like) filter).pattern();
    return pattern.substring(0, pattern.length() - 1).replaceAll("\\\\(.)", "$1");
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HealthReport check(Duration timeout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
