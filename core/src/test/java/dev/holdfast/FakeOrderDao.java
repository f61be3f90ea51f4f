package dev.holdfast;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A scripted DAO: queued failures are thrown (or returned as failed futures) by the next calls. */
public class FakeOrderDao implements OrderDao {
  private final Deque<Supplier<? extends Throwable>> failures = new ArrayDeque<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  Runnable onSlow = () -> {};

  public FakeOrderDao() {}

  synchronized FakeOrderDao failNext(int times, Supplier<? extends Throwable> failure) {
    for (int i = 0; i < times; i++) {
      failures.add(failure);
    }
    return this;
  }

  int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  private synchronized Throwable enter(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    Supplier<? extends Throwable> next = failures.poll();
    return next == null ? null : next.get();
  }

  private void call(String method) {
    Throwable t = enter(method);
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new AssertionError("checked failure scripted for " + method, t);
    }
  }

  @Override
  public Optional<String> findById(long id) {
    call("findById");
    return Optional.of("order-" + id);
  }

  @Override
  public long insert(String order) {
    call("insert");
    return 42;
  }

  @Override
  public void upsert(String order) {
    call("upsert");
  }

  @Override
  public String getAndIncrement() {
    call("getAndIncrement");
    return "1";
  }

  @Override
  public List<String> listRecent() {
    call("listRecent");
    return List.of("recent");
  }

  @Override
  public String slow() {
    call("slow");
    onSlow.run();
    return "finally";
  }

  @Override
  public Optional<String> findCached(long id) {
    call("findCached");
    return Optional.of("cached");
  }

  @Override
  public List<String> listAll() {
    call("listAll");
    return List.of("all");
  }

  @Override
  public String getStatus(String region) {
    call("getStatus");
    return "up";
  }

  @Override
  public String label(long id) {
    call("label");
    return "label-" + id;
  }

  public String labelFromCache(long id) {
    return "cached-label-" + id;
  }

  @Override
  public CompletableFuture<String> findAsync(long id) {
    Throwable t = enter("findAsync");
    return t == null ? CompletableFuture.completedFuture("async-" + id) : CompletableFuture.failedFuture(t);
  }

  @Override
  public CompletableFuture<List<String>> listAsync() {
    Throwable t = enter("listAsync");
    return t == null ? CompletableFuture.completedFuture(List.of("x")) : CompletableFuture.failedFuture(t);
  }

  @Override
  public String load(String id) throws DaoException {
    Throwable t = enter("load");
    if (t instanceof DaoException e) {
      throw e;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    return "loaded-" + id;
  }

  @Override
  public String fetch(String id) throws java.io.IOException {
    Throwable t = enter("fetch");
    if (t instanceof java.io.IOException e) {
      throw e;
    }
    return "fetched-" + id;
  }

  /** A target's toString may print its connection details; the proxy must not. */
  @Override
  public String toString() {
    return "FakeOrderDao{url=postgresql://app:hunter2@db/orders}";
  }
}
