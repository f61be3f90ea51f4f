package dev.holdfast.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Changes;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.jdbc.JdbcBackend;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item 2: holdfast's JDBC repository against hand-written pgjdbc over the same HikariCP pool with the same driver
 * settings, directly to PostgreSQL and through PgBouncer in transaction mode; then plain pgjdbc with default
 * settings through the same PgBouncer.
 */
final class JdbcComparison {
  static final int POOL = 4;
  static final int THREADS = 4;
  static final int SEED_ROWS = 10_000;
  static final int LATENCY_OPS = 1_000;
  private static final Duration ROUND = Duration.ofSeconds(3);
  private static final int ROUNDS = 4;

  private JdbcComparison() {}

  static String run(Postgres pg, PgBouncer bouncer) throws Exception {
    pg.exec(Item.DDL, "TRUNCATE bench_items RESTART IDENTITY",
        "INSERT INTO bench_items (name, qty) SELECT 'item ' || g, g FROM generate_series(1, " + SEED_ROWS + ") g",
        "VACUUM ANALYZE bench_items");
    Markdown md = new Markdown().heading("2. JDBC: holdfast Repository vs hand-written pgjdbc");
    md.paragraph(Markdown.f("Both sides share one HikariCP pool of %d connections with holdfast's driver settings "
        + "(`prepareThreshold=0`, no statement cache, `stringtype=unspecified`). Hand-written pgjdbc runs each "
        + "operation in autocommit; holdfast runs reads in autocommit and each write in its own transaction "
        + "(BEGIN travels with the statement, then COMMIT: two round trips where autocommit takes one), which is "
        + "what lets it tell \"not applied, safe to retry\" from \"unknown outcome\". Rows marked diagnostic give "
        + "raw pgjdbc the same extra work holdfast does, to show what the gap is made of. Throughput: %d threads, "
        + "%d alternating rounds of %d s per side; the ratio is holdfast / raw over all rounds (lowest and highest "
        + "single round in brackets). Latency: %,d operations of each kind on one thread, the two sides "
        + "alternating call by call. PgBouncer runs in transaction mode with `default_pool_size = 2`.", POOL,
        THREADS, ROUNDS,
        ROUND.toSeconds(), LATENCY_OPS));
    Markdown.Table tput = md.table("Path", "Operation", "Raw pgjdbc variant", "raw pgjdbc ops/s", "holdfast ops/s",
        "holdfast / raw", "Goal >= 0.95");
    List<Object[]> latencyRows = new ArrayList<>();
    for (String path : List.of("direct", "PgBouncer")) {
      String url = path.equals("direct") ? pg.jdbcUrl() : bouncer.jdbcUrl();
      try (HikariDataSource ds = Pools.poolerSafe(url, POOL);
          Holdfast db = Holdfast.builder(JdbcBackend.builder(ds).transactionPooler(!path.equals("direct")).build())
              .build()) {
        Repository<Item, Long> repo = db.repository(Item.TABLE);
        RawJdbc raw = new RawJdbc(ds);
        Measure.Op rawSelect = i -> require(raw.findById(randomId()));
        Measure.Op hfSelect = i -> require(repo.findById(randomId()).orElse(null));
        Measure.Op rawSelectBounded = i -> require(raw.findByIdWithTimeouts(randomId()));
        Measure.Op rawInsert = i -> raw.insert(new Item(null, "n" + i, (int) i));
        Measure.Op hfInsert = i -> repo.insert(new Item(null, "n" + i, (int) i));
        Measure.Op rawInsertTx = i -> raw.insertInTransaction(new Item(null, "t" + i, (int) i));
        Measure.Op rawUpdate = i -> require(raw.updateQty(randomId(), (int) i));
        Measure.Op hfUpdate = i -> require(repo.updateById(randomId(), Changes.set("qty", (int) i)).orElse(null));
        // Warm both sides up (JIT, pool, PgBouncer's server connections) before anything is recorded.
        Measure.interleavedLatencies(rawSelect, hfSelect, 3_000);
        Measure.interleavedLatencies(rawInsert, hfInsert, 1_000);
        Measure.interleavedLatencies(rawUpdate, hfUpdate, 1_000);
        // Rows 0 and 2 are the goal's comparisons; 1 and 3 give raw pgjdbc holdfast's extra work, to show what
        // the gap is made of.
        String[] variants = {"plain", "with holdfast's statement and socket timeouts",
            "plain (autocommit)", "in an explicit transaction (BEGIN + INSERT, COMMIT), as holdfast"};
        Measure.Op[] raws = {rawSelect, rawSelectBounded, rawInsert, rawInsertTx};
        for (int v = 0; v < variants.length; v++) {
          String op = v < 2 ? "select by id" : "insert one row";
          Progress.say("item 2: " + path + " " + op + ", raw " + variants[v] + ": throughput");
          double[] r = Measure.interleavedThroughput(raws[v], v < 2 ? hfSelect : hfInsert, THREADS, ROUND, ROUNDS);
          double ratio = r[1] / r[0];
          tput.row(path, op, variants[v], Markdown.f("%,.0f", r[0]), Markdown.f("%,.0f", r[1]),
              Markdown.f("%.3f (%.3f to %.3f)", ratio, r[2], r[3]),
              v % 2 == 1 ? "(diagnostic)" : Markdown.verdict(ratio >= 0.95));
        }
        Progress.say("item 2: " + path + " latency");
        latencyRows.add(latencyRow(path, "select by id", Measure.interleavedLatencies(rawSelect, hfSelect,
            LATENCY_OPS)));
        latencyRows.add(latencyRow(path, "insert one row", Measure.interleavedLatencies(rawInsert, hfInsert,
            LATENCY_OPS)));
        latencyRows.add(latencyRow(path, "update by id", Measure.interleavedLatencies(rawUpdate, hfUpdate,
            LATENCY_OPS)));
      }
    }
    tput.end();
    Markdown.Table lat = md.table("Path", "Operation (1,000 each)", "raw p50 / p95 / p99 (µs)",
        "holdfast p50 / p95 / p99 (µs)", "p50 ratio");
    latencyRows.forEach(lat::row);
    lat.end();
    md.paragraph(defaultsThroughPgBouncer(bouncer));
    return md.toString();
  }

  private static Object[] latencyRow(String path, String op, Measure.Latencies[] l) {
    return new Object[] {path, op, triple(l[0]), triple(l[1]),
        Markdown.f("%.2f", l[1].percentileMicros(50) / l[0].percentileMicros(50))};
  }

  private static String triple(Measure.Latencies l) {
    return Markdown.f("%.0f / %.0f / %.0f", l.percentileMicros(50), l.percentileMicros(95), l.percentileMicros(99));
  }

  private static long randomId() {
    return ThreadLocalRandom.current().nextLong(1, SEED_ROWS + 1);
  }

  private static void require(Object found) {
    if (found == null) {
      throw new IllegalStateException("a seeded row was not found");
    }
  }

  /**
   * The same 3,000-operation mix (1,000 selects, inserts and updates over 4 threads) with pgjdbc's default
   * settings through the same PgBouncer, counting the operations that fail and why.
   */
  private static String defaultsThroughPgBouncer(PgBouncer bouncer) throws Exception {
    Progress.say("item 2: pgjdbc defaults through PgBouncer");
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    AtomicLong failed = new AtomicLong();
    int perThread = 3 * LATENCY_OPS / THREADS;
    try (HikariDataSource ds = Pools.driverDefaults(bouncer.jdbcUrl(), POOL)) {
      RawJdbc raw = new RawJdbc(ds);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread th = new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            try {
              switch (i % 3) {
                case 0 -> raw.findById(randomId());
                case 1 -> raw.insert(new Item(null, "d" + i, i));
                default -> raw.updateQty(randomId(), i);
              }
            } catch (SQLException e) {
              failed.incrementAndGet();
              String msg = String.valueOf(e.getMessage()).replaceAll("\\d+", "N").replaceAll("\\s+", " ");
              errors.computeIfAbsent(e.getSQLState() + " " + msg.substring(0, Math.min(70, msg.length())),
                  k -> new AtomicLong()).incrementAndGet();
            }
          }
        });
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
    }
    StringBuilder s = new StringBuilder(Markdown.f("**Plain pgjdbc with default settings through the same "
        + "PgBouncer** (server-side prepared statements after 5 executions), the same mix of %,d operations on "
        + "%d threads: **%,d failed** (%.1f %%); holdfast's pool-safe settings had 0 failures above.",
        perThread * THREADS, THREADS, failed.get(), 100.0 * failed.get() / (perThread * THREADS)));
    if (!errors.isEmpty()) {
      s.append(" By SQLSTATE and message:\n");
      new TreeMap<>(errors).forEach((k, v) -> s.append("\n- ").append(v.get()).append(" x `").append(k)
          .append("`"));
    }
    return s.toString();
  }
}
