package dev.holdfast.benchmarks;

import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.spi.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Function;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Item 6b: recovery after a restart of what sits in front of the data. Real PostgreSQL and a real PgBouncer;
 * under 8 clients of mixed reads, upserts and inserts, PostgreSQL is restarted (directly and behind PgBouncer)
 * and PgBouncer is killed and restarted, each down for {@link #DOWN}; then the same with one long outage. For each
 * breaker configuration: calls and failures while down, attempts and probes reaching the backend per call while
 * down, and the time from "it answers again" (the restart returned: the server or PgBouncer accepts connections)
 * to the first success and to every client's first success.
 */
final class Recovery {
  static final int CLIENTS = 8;
  static final Duration DOWN = Duration.ofSeconds(5);
  static final Duration LONG_DOWN = Duration.ofSeconds(20);
  static final Duration THINK = Duration.ofMillis(10);
  static final Duration RECOVERY_LIMIT = Duration.ofSeconds(45);
  static final Duration BACKOFF_STEP = Duration.ofMillis(100);
  static final String DDL = "CREATE TABLE IF NOT EXISTS recovery_rows (id bigserial PRIMARY KEY, name text NOT NULL, "
      + "v int NOT NULL)";

  /** A row of the load. */
  public record Row(Long id, String name, int v) {
    static final dev.holdfast.Table<Row, Long> TABLE =
        dev.holdfast.Table.builder("recovery_rows", Row.class, Long.class).build();
  }

  /** A breaker configuration to compare. */
  record Config(String label, ResiliencePolicy policy) {}

  static final List<Config> CONFIGS = List.of(
      new Config("defaults: 100 ms doubling to 2 s, probe every 500 ms", ResiliencePolicy.defaults()),
      new Config("100 ms doubling to 2 s, no probe", breaker(CircuitBreakerSettings.defaults().withoutProbe())),
      new Config("100 ms doubling to 30 s, probe every 500 ms", breaker(CircuitBreakerSettings.defaults()
          .withOpenDelay(Duration.ofMillis(100), Duration.ofSeconds(30)))),
      new Config("100 ms doubling to 30 s, no probe", breaker(CircuitBreakerSettings.defaults()
          .withOpenDelay(Duration.ofMillis(100), Duration.ofSeconds(30)).withoutProbe())),
      new Config("0.1's breaker: fixed 30 s", breaker(new CircuitBreakerSettings(5, 10, Duration.ofSeconds(30), 1))));

  private static ResiliencePolicy breaker(CircuitBreakerSettings settings) {
    return ResiliencePolicy.builder().circuitBreaker(settings).build();
  }

  record Result(String fault, String config, Duration down, long calls, long failed, long attempts, long probes,
      double firstSuccessMillis, double everyClientMillis, long failedAfter, long untyped) {
    double perCall() {
      return (attempts + probes) / (double) Math.max(1, calls);
    }
  }

  /** The fault: takes the path down for {@code down}, brings it back, and returns when it answers again. */
  @FunctionalInterface
  interface Fault {
    void run(Duration down);
  }

  private Recovery() {}

  static String run() throws Exception {
    List<Result> results = new ArrayList<>();
    try (Postgres pg = Postgres.start(true); PgBouncer bouncer = PgBouncer.start(pg.port(), 4)) {
      pg.exec(DDL);
      String direct = pg.jdbcUrl();
      String pooled = "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/postgres?user=postgres";
      Fault pgRestart = down -> {
        pg.stop();
        sleep(down);
        pg.restart();
      };
      Fault bouncerRestart = down -> {
        bouncer.kill();
        sleep(down);
        bouncer.startAgain();
      };
      for (Config c : CONFIGS) {
        results.add(measure("PostgreSQL restart, direct", c, DOWN, pooledBackend(direct), pgRestart));
        results.add(measure("PostgreSQL restart behind PgBouncer", c, DOWN, pooledBackend(pooled), pgRestart));
        results.add(measure("PgBouncer killed and restarted", c, DOWN, pooledBackend(pooled), bouncerRestart));
      }
      results.add(measure("PostgreSQL restart, direct, no HikariCP pool (diagnostic)", CONFIGS.get(0), DOWN,
          unpooledBackend(pg.port()), pgRestart));
      for (Config c : CONFIGS.subList(0, 4)) {
        results.add(measure("PgBouncer killed and restarted, long outage", c, LONG_DOWN, pooledBackend(pooled),
            bouncerRestart));
      }
    }
    return report(results);
  }

  private static Function<Void, Backend> pooledBackend(String url) {
    return ignored -> JdbcBackend.builder(url).maximumPoolSize(CLIENTS).build();
  }

  /** Each attempt opens its own connection, so what HikariCP does after an outage does not count. */
  private static Function<Void, Backend> unpooledBackend(int port) {
    return ignored -> {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setServerNames(new String[] {"127.0.0.1"});
      ds.setPortNumbers(new int[] {port});
      ds.setDatabaseName("postgres");
      ds.setUser("postgres");
      ds.setPrepareThreshold(0);
      ds.setConnectTimeout(2);
      return JdbcBackend.wrap(ds);
    };
  }

  private static Result measure(String fault, Config config, Duration down, Function<Void, Backend> backend,
      Fault action) throws Exception {
    Progress.say("item 6b: " + fault + " (" + down.toSeconds() + " s), " + config.label());
    CountingBackend counting = new CountingBackend(backend.apply(null));
    AtomicLong calls = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    AtomicLong failedAfter = new AtomicLong();
    AtomicLong untyped = new AtomicLong();
    LongAccumulator firstSuccess = new LongAccumulator(Math::min, Long.MAX_VALUE);
    long[] recovered = new long[CLIENTS];
    long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
    long probesBefore;
    long probesAfter;
    try (Holdfast db = Holdfast.builder(counting).policy(config.policy()).build()) {
      Repository<Row, Long> rows = db.repository(Row.TABLE);
      AtomicBoolean stop = new AtomicBoolean();
      Set<String> unknown = ConcurrentHashMap.newKeySet();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            long start = System.nanoTime();
            boolean ok = false;
            try {
              switch (i % 3) {
                case 0 -> rows.insert(new Row(null, "c" + client + "-" + i, i));
                case 1 -> rows.upsert(new Row(1_000_000L + client, "upsert", i));
                default -> rows.findById(1_000_000L + client);
              }
              ok = true;
            } catch (UnknownOutcomeException e) {
              unknown.add("c" + client + "-" + i);
            } catch (HoldfastException e) {
              ok = false;
            } catch (RuntimeException e) {
              untyped.incrementAndGet();
            }
            long end = System.nanoTime();
            int made = CountingBackend.takeAttempts();
            if (start >= window[0] && start < window[1]) {
              calls.incrementAndGet();
              attempts.addAndGet(made);
              if (!ok) {
                failed.incrementAndGet();
              }
            }
            if (start >= window[1]) {
              if (ok) {
                firstSuccess.accumulate(end);
                synchronized (recovered) {
                  if (recovered[client] == 0) {
                    recovered[client] = end;
                  }
                }
              } else {
                failedAfter.incrementAndGet();
              }
            }
            sleep(THINK);
          }
        }, "recovery-client-" + c);
        t.start();
        clients.add(t);
      }
      Thread.sleep(2_000);
      probesBefore = counting.probes.get();
      window[0] = System.nanoTime();
      action.run(down);
      window[1] = System.nanoTime();
      probesAfter = counting.probes.get();
      long limit = System.nanoTime() + RECOVERY_LIMIT.toNanos();
      while (!all(recovered) && System.nanoTime() < limit) {
        Thread.sleep(10);
      }
      Thread.sleep(300);
      stop.set(true);
      for (Thread t : clients) {
        t.join();
      }
    }
    long up = window[1];
    double first = firstSuccess.get() == Long.MAX_VALUE ? Double.NaN : (firstSuccess.get() - up) / 1e6;
    long last = 0;
    for (long t : recovered) {
      last = t == 0 ? Long.MAX_VALUE : Math.max(last, t);
    }
    double every = last == Long.MAX_VALUE ? Double.NaN : (last - up) / 1e6;
    return new Result(fault, config.label(), Duration.ofNanos(window[1] - window[0]), calls.get(), failed.get(),
        attempts.get(), probesAfter - probesBefore, first, every, failedAfter.get(), untyped.get());
  }

  private static boolean all(long[] recovered) {
    synchronized (recovered) {
      for (long t : recovered) {
        if (t == 0) {
          return false;
        }
      }
      return true;
    }
  }

  private static String report(List<Result> results) {
    Markdown md = new Markdown().heading("6b. Recovery after restarts: real PostgreSQL and PgBouncer");
    md.paragraph("Embedded PostgreSQL 16 and a real PgBouncer (transaction mode, pool 4, `server_login_retry = 1`); "
        + CLIENTS + " client threads loop insert / upsert / findById (10 ms apart) through `JdbcBackend` (HikariCP, "
        + "8 connections, holdfast's default settings) and a `Holdfast` with the policy named in each row (otherwise "
        + "`ResiliencePolicy.defaults()`). Each fault takes the path down for " + DOWN.toSeconds() + " s (the long "
        + "outage: " + LONG_DOWN.toSeconds() + " s) and brings it back; \"back\" is the moment the restart returned "
        + "(the server or PgBouncer accepts connections). Calls are charged to the down window by their start; their "
        + "attempts are counted where they reach the backend, and the breaker's probes (health checks) are added to "
        + "them.");
    Markdown.Table t = md.table("Fault", "Breaker", "Down (ms)", "Calls while down", "Failed while down",
        "Attempts + probes per call while down", "Back to first success (ms)", "Back to every client's first "
            + "success (ms)", "Calls failed after it was back", "Untyped errors");
    for (Result r : results) {
      t.row(r.fault(), r.config(), r.down().toMillis(), r.calls(), r.failed(),
          Markdown.f("%.3f (%d + %d)", r.perCall(), r.attempts(), r.probes()), Markdown.f("%.0f", r.firstSuccessMillis()),
          Markdown.f("%.0f", r.everyClientMillis()), r.failedAfter(), r.untyped());
    }
    t.end();
    double goal = 1_000 + BACKOFF_STEP.toMillis();
    List<Result> defaults = results.stream().filter(r -> r.config().equals(CONFIGS.get(0).label())).toList();
    boolean load = defaults.stream().allMatch(r -> r.perCall() <= 1.2);
    List<Result> held = defaults.stream().filter(r -> r.perCall() > 1.2 && r.failed() == 0).toList();
    md.paragraph(Markdown.f("**Goal: at most 1.2 attempts (probes included) per call while down, with the defaults** "
        + "- %s (at most %.3f). **Goal: first success within 1 s + one backoff step (%.0f ms) of the path answering "
        + "again, with the defaults**: %s.", Markdown.verdict(load),
        defaults.stream().mapToDouble(Result::perCall).max().orElse(Double.NaN), goal,
        String.join("; ", defaults.stream().map(r -> Markdown.f("%s %.0f ms %s", r.fault(), r.firstSuccessMillis(),
            r.firstSuccessMillis() <= goal ? "(met)" : "(NOT met)")).toList())));
    if (!held.isEmpty()) {
      md.paragraph("Where the load goal is missed with no call failing while down, PgBouncer held the calls in its "
          + "queue until PostgreSQL was back, so few calls started in the window and the breaker never opened; "
          + "the extra attempts are the retries of calls that met PostgreSQL's shutdown (57P01 / 57P03) and then "
          + "waited in PgBouncer's queue and succeeded: " + String.join("; ", held.stream().map(r -> Markdown.f(
              "%s, %d calls, %d attempts, 0 failed", r.fault(), r.calls(), r.attempts())).toList()) + ".");
    }
    return md.toString();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
