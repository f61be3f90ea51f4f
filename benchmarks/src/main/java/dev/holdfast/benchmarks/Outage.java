package dev.holdfast.benchmarks;

import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Item 6: 16 concurrent clients against MockPostgrest behind a FaultProxy that refuses and resets every connection
 * for 5 seconds. Counts the attempts each logical request started during the outage made, with and without the
 * retry budget, and the time from the backend's return to the first success.
 */
final class Outage {
  static final int CLIENTS = 16;
  static final Duration OUTAGE = Duration.ofSeconds(5);
  static final Duration THINK = Duration.ofMillis(50);
  static final Duration BACKOFF_CAP = Duration.ofSeconds(2);

  private Outage() {}

  record Result(String label, long requests, long attempts, long probes, long failed, double rttMillis,
      double recoveryMillis, double allRecoveredMillis) {
    double perRequest() {
      return (attempts + probes) / (double) requests;
    }
  }

  static String run() throws Exception {
    ResiliencePolicy withoutBudget = ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build();
    ResiliencePolicy withBudget = ResiliencePolicy.builder().withoutCircuitBreaker().build();
    List<Result> results = new ArrayList<>();
    results.add(measure("without retry budget", withoutBudget));
    results.add(measure("with retry budget (default: 500 tokens, 5 per retry, 10 after a timeout)", withBudget));
    results.add(measure("defaults: retry budget and circuit breaker (100 ms doubling to 2 s, probe every 500 ms)",
        ResiliencePolicy.defaults()));
    Markdown md = new Markdown().heading("6. Outage: 16 clients, backend down for 5 s");
    md.paragraph("MockPostgrest behind a FaultProxy; at the outage's start the proxy resets every open connection and "
        + "refuses new ones for 5 s, then heals. 16 client threads each loop `Repository.findById` with 50 ms "
        + "between requests. Policy: `ResiliencePolicy.defaults()` (3 attempts, backoff 100 ms doubling to a 2 s "
        + "cap, full jitter) with the circuit breaker off, to isolate the retry budget (an open breaker would "
        + "reject calls before any attempt), then the full defaults with the breaker. Attempts are counted where "
        + "they reach the backend, and charged to the requests that started during the outage; the breaker's "
        + "probes (health checks: a HEAD request) during the outage are added to them.");
    Markdown.Table t = md.table("Policy", "Requests started during the outage", "Attempts + probes",
        "Attempts per request",
        "Failed requests", "Healthy round trip p50 (ms)", "Return to first success (ms)",
        "Return to every client's first success (ms)");
    for (Result r : results) {
      t.row(r.label, r.requests, r.attempts + " + " + r.probes, Markdown.f("%.3f", r.perRequest()), r.failed,
          Markdown.f("%.1f", r.rttMillis), Markdown.f("%.0f", r.recoveryMillis),
          Markdown.f("%.0f", r.allRecoveredMillis));
    }
    t.end();
    Result budget = results.get(1);
    double limit = BACKOFF_CAP.toMillis() + budget.rttMillis;
    boolean recovered = results.subList(0, 2).stream()
        .allMatch(r -> r.recoveryMillis <= BACKOFF_CAP.toMillis() + r.rttMillis);
    Result defaults = results.get(2);
    md.paragraph(Markdown.f("**Goal: at most 1.2 attempts per request with the budget while the outage lasts** - "
        + "%.3f, %s. **Goal: first success within the backoff cap plus one round trip (%.0f ms)** - %s (%s).",
        budget.perRequest(), Markdown.verdict(budget.perRequest() <= 1.2), limit, Markdown.verdict(recovered),
        String.join(", ", results.subList(0, 2).stream().map(r -> Markdown.f("%.0f ms", r.recoveryMillis))
            .toList()))
        + Markdown.f(" Every client had succeeded again within %.0f ms without and %.0f ms with the budget.",
            results.get(0).allRecoveredMillis, budget.allRecoveredMillis)
        + Markdown.f(" **With the breaker (defaults): %.3f attempts and probes per request while down - %s; first "
            + "success %.0f ms after the backend's return, every client within %.0f ms - %s (goal: 1 s + one backoff "
            + "step, 1100 ms).**", defaults.perRequest(), Markdown.verdict(defaults.perRequest() <= 1.2),
            defaults.recoveryMillis, defaults.allRecoveredMillis, Markdown.verdict(defaults.recoveryMillis <= 1100)));
    return md.toString();
  }

  private static Result measure(String label, ResiliencePolicy policy) throws Exception {
    Progress.say("item 6: outage " + label);
    InMemoryDatabase mem = new InMemoryDatabase();
    mem.createTable("public", "bench_items", "id", true);
    try (MockPostgrest server = MockPostgrest.start(mem)) {
      URI u = URI.create(server.url());
      try (FaultProxy proxy = FaultProxy.start("127.0.0.1", u.getPort());
          CountingBackend counting = new CountingBackend(PostgrestBackend.create(
              PostgrestClient.builder("http://127.0.0.1:" + proxy.port() + u.getPath()).apiKey("bench")));
          Holdfast db = Holdfast.builder(counting).policy(policy).build()) {
        Repository<Item, Long> repo = db.repository(Item.TABLE);
        for (int i = 1; i <= 100; i++) {
          repo.insert(new Item(null, "item " + i, i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong downAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong upAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong requests = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        LongAccumulator firstSuccess = new LongAccumulator(Math::min, Long.MAX_VALUE);
        long[] clientRecovered = new long[CLIENTS];
        Measure.Latencies healthy = new Measure.Latencies(1_000_000);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          Thread th = new Thread(() -> {
            while (!stop.get()) {
              long start = System.nanoTime();
              boolean ok;
              try {
                repo.findById(ThreadLocalRandom.current().nextLong(1, 101));
                ok = true;
              } catch (HoldfastException e) {
                ok = false;
              }
              long end = System.nanoTime();
              int made = CountingBackend.takeAttempts();
              if (start >= downAt.get() && start < upAt.get()) {
                requests.incrementAndGet();
                attempts.addAndGet(made);
                if (!ok) {
                  failed.incrementAndGet();
                }
              }
              if (ok && end > upAt.get()) {
                firstSuccess.accumulate(end);
                if (clientRecovered[client] == 0) {
                  clientRecovered[client] = end;
                }
              }
              if (ok && start < downAt.get()) {
                synchronized (healthy) {
                  healthy.add(end - start);
                }
              }
              sleep(THINK.toMillis());
            }
          }, "outage-client-" + c);
          th.start();
          clients.add(th);
        }
        Thread.sleep(3_000);
        long probesBefore = counting.probes.get();
        downAt.set(System.nanoTime());
        proxy.refuseNewConnections();
        proxy.resetAll();
        Thread.sleep(OUTAGE.toMillis());
        proxy.heal();
        upAt.set(System.nanoTime());
        long probes = counting.probes.get() - probesBefore;
        Thread.sleep(3_000);
        stop.set(true);
        for (Thread th : clients) {
          th.join();
        }
        double recovery = firstSuccess.get() == Long.MAX_VALUE ? Double.NaN
            : (firstSuccess.get() - upAt.get()) / 1e6;
        long last = 0;
        for (long t : clientRecovered) {
          last = t == 0 ? Long.MAX_VALUE : Math.max(last, t);
        }
        double all = last == Long.MAX_VALUE ? Double.NaN : (last - upAt.get()) / 1e6;
        return new Result(label, requests.get(), attempts.get(), probes, failed.get(),
            healthy.percentileMicros(50) / 1e3, recovery, all);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
