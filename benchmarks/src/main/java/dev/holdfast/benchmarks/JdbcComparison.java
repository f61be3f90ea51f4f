package dev.holdfast.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.WriteMode;
import dev.holdfast.jdbc.JdbcBackend;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item 2 (issue 13): holdfast's JDBC repository against hand-written pgjdbc doing the same work over the same
 * HikariCP pool with the same driver settings, for every operation kind, directly to PostgreSQL and through
 * PgBouncer in transaction mode; then what holdfast's per-call timeouts would cost raw pgjdbc, and plain pgjdbc
 * with default settings through the same PgBouncer.
 */
final class JdbcComparison {
  static final int POOL = 4;
  static final int THREADS = 4;
  static final int SEED_ROWS = 10_000;
  static final int DOOMED_ROWS = 400_000;
  static final int LATENCY_OPS = 1_000;
  private static final Duration ROUND = Duration.ofSeconds(2);
  private static final int ROUNDS = 4;

  /** What a row's goal is: reads and one-round-trip writes have both goals, the confirmed insert throughput. */
  enum Goal { BOTH, THROUGHPUT, REPORTED }

  record Case(String operation, String rawDoes, Measure.Op raw, Measure.Op holdfast, Goal goal) {}

  private JdbcComparison() {}

  static String run(Postgres pg, PgBouncer bouncer) throws Exception {
    pg.exec(Item.DDL, Tagged.DDL, "CREATE TABLE IF NOT EXISTS bench_doomed (id bigint PRIMARY KEY, name text, qty int)",
        "TRUNCATE bench_items RESTART IDENTITY", "TRUNCATE bench_tagged", "TRUNCATE bench_doomed",
        "INSERT INTO bench_items (name, qty) SELECT 'item ' || g, g FROM generate_series(1, " + SEED_ROWS + ") g",
        "INSERT INTO bench_doomed SELECT g, 'doomed', g FROM generate_series(1, " + DOOMED_ROWS + ") g",
        "VACUUM ANALYZE bench_items", "VACUUM ANALYZE bench_doomed");
    Markdown md = new Markdown().heading("2. JDBC: holdfast Repository vs hand-written pgjdbc");
    md.paragraph(Markdown.f("Both sides share one HikariCP pool of %d connections with holdfast's driver settings "
        + "(`prepareThreshold=0`, no statement cache, `stringtype=unspecified`), and do the same work: the raw "
        + "side's column says how (autocommit unless it says otherwise). holdfast runs with "
        + "`ResiliencePolicy.defaults()` (deadline, attempt timeout, retries, breaker, budget). Throughput: %d "
        + "threads, %d alternating rounds of %d s per side; the ratio is holdfast / raw over all rounds (lowest "
        + "and highest single round in brackets). Latency: %,d operations of each kind on one thread, the two "
        + "sides alternating call by call. PgBouncer runs in transaction mode with `default_pool_size = 2`.",
        POOL, THREADS, ROUNDS, ROUND.toSeconds(), LATENCY_OPS));
    Markdown.Table tput = md.table("Path", "Operation", "Raw pgjdbc does", "raw ops/s", "holdfast ops/s",
        "holdfast / raw", "raw p50 / p99 (µs)", "holdfast p50 / p99 (µs)", "p50 ratio", "Goal");
    List<String> misses = new ArrayList<>();
    String timeouts = null;
    for (String path : List.of("direct", "PgBouncer")) {
      String url = path.equals("direct") ? pg.jdbcUrl() : bouncer.jdbcUrl();
      try (HikariDataSource ds = Pools.poolerSafe(url, POOL);
          Holdfast db = Holdfast.builder(JdbcBackend.builder(ds).transactionPooler(!path.equals("direct")).build())
              .build()) {
        RawJdbc raw = new RawJdbc(ds);
        for (Case c : cases(db, raw)) {
          // Warm both sides up (JIT, pool, PgBouncer's server connections) before anything is recorded.
          Measure.interleavedLatencies(c.raw(), c.holdfast(), 500);
          Progress.say("item 2: " + path + " " + c.operation());
          double[] r = Measure.interleavedThroughput(c.raw(), c.holdfast(), THREADS, ROUND, ROUNDS);
          Measure.Latencies[] l = Measure.interleavedLatencies(c.raw(), c.holdfast(), LATENCY_OPS);
          double ratio = r[1] / r[0];
          double p50 = l[1].percentileMicros(50) / l[0].percentileMicros(50);
          boolean met = switch (c.goal()) {
            case BOTH -> ratio >= 0.95 && p50 <= 1.10;
            case THROUGHPUT -> ratio >= 0.95;
            case REPORTED -> true;
          };
          if (!met) {
            misses.add(path + " " + c.operation());
          }
          tput.row(path, c.operation(), c.rawDoes(), Markdown.f("%,.0f", r[0]), Markdown.f("%,.0f", r[1]),
              Markdown.f("%.3f (%.3f to %.3f)", ratio, r[2], r[3]), pair(l[0]), pair(l[1]),
              Markdown.f("%.2f", p50), switch (c.goal()) {
                case BOTH -> Markdown.verdict(met) + " (>= 0.95, <= 1.10)";
                case THROUGHPUT -> Markdown.verdict(met) + " (>= 0.95)";
                case REPORTED -> "(reported)";
              });
        }
        if (path.equals("direct")) {
          timeouts = timeoutCosts(raw);
        }
      }
    }
    tput.end();
    md.paragraph(misses.isEmpty() ? "**Every goal of this table is met in this run.**"
        : "**Goals not met in this run:** " + String.join("; ", misses) + ".");
    md.paragraph(timeouts);
    md.paragraph(defaultsThroughPgBouncer(bouncer));
    return md.toString();
  }

  private static List<Case> cases(Holdfast db, RawJdbc raw) {
    Repository<Item, Long> items = db.repository(Item.TABLE);
    Repository<Item, Long> oneTrip = items.withWriteMode(WriteMode.ONE_ROUND_TRIP);
    Repository<Tagged, UUID> tagged = db.repository(Tagged.TABLE);
    Repository<Item, Long> doomed = db.repository(Item.TABLE_DOOMED);
    return List.of(
        new Case("select by id", "SELECT ... WHERE id = ?", i -> require(raw.findById(randomId())),
            i -> require(items.findById(randomId()).orElse(null)), Goal.BOTH),
        new Case("find 100 rows", "SELECT ... WHERE qty > ? ORDER BY id LIMIT 100",
            i -> requireSize(raw.find100(randomQty())),
            i -> requireSize(items.find(Query.where(Filter.gt("qty", randomQty())).orderBy(Order.asc("id"))
                .limit(100))), Goal.BOTH),
        new Case("insert, own id (uuid)", "INSERT ... RETURNING",
            i -> raw.insertTagged(new Tagged(UUID.randomUUID(), "r" + i, (int) i)),
            i -> tagged.insert(new Tagged(UUID.randomUUID(), "h" + i, (int) i)), Goal.BOTH),
        new Case("insert, server key, `ONE_ROUND_TRIP`", "INSERT ... RETURNING",
            i -> raw.insert(new Item(null, "r" + i, (int) i)),
            i -> oneTrip.insert(new Item(null, "h" + i, (int) i)), Goal.BOTH),
        new Case("insert, server key, `CONFIRMED` (default)", "BEGIN + INSERT ... RETURNING, COMMIT",
            i -> raw.insertInTransaction(new Item(null, "r" + i, (int) i)),
            i -> items.insert(new Item(null, "h" + i, (int) i)), Goal.THROUGHPUT),
        new Case("update by id", "UPDATE ... RETURNING", i -> require(raw.updateQty(randomId(), (int) i)),
            i -> require(items.updateById(randomId(), Changes.set("qty", (int) i)).orElse(null)), Goal.BOTH),
        new Case("upsert", "INSERT ... ON CONFLICT (id) DO UPDATE ... RETURNING",
            i -> raw.upsert(new Item(randomId(), "r" + i, (int) i)),
            i -> items.upsert(new Item(randomId(), "h" + i, (int) i)), Goal.BOTH),
        new Case("delete by id", "DELETE ... WHERE id = ?", i -> raw.deleteById(randomDoomed()),
            i -> doomed.deleteById(randomDoomed()), Goal.BOTH),
        new Case("two-statement transaction", "BEGIN + UPDATE, UPDATE, COMMIT",
            i -> raw.twoUpdatesInTransaction(randomId(), randomId(), (int) i),
            i -> db.inTransaction(tx -> {
              Repository<Item, Long> in = tx.repository(Item.TABLE);
              in.updateById(randomId(), Changes.set("qty", (int) i));
              return in.updateById(randomId(), Changes.set("qty", (int) i));
            }), Goal.REPORTED));
  }

  /**
   * What holdfast's per-call bounds would cost hand-written pgjdbc: a statement timeout per execution (pgjdbc arms
   * a timer task, and cancels over a second connection if it fires) and a socket timeout set on the borrowed
   * connection and restored. These decide the adapter's choice (see {@code Connections.Lease#prepare}).
   */
  private static String timeoutCosts(RawJdbc raw) throws Exception {
    Markdown out = new Markdown().paragraph("**What a per-call timeout costs** (raw pgjdbc against itself, same "
        + "run, same settings as above):");
    Markdown.Table t = out.table("Raw pgjdbc select by id, direct", "plain ops/s", "with it ops/s",
        "with / plain", "plain p50 (µs)", "with it p50 (µs)");
    Measure.Op plain = i -> require(raw.findById(randomId()));
    Object[][] variants = {
        {"+ statement timeout per execution (`setQueryTimeoutMs`)",
            (Measure.Op) i -> require(raw.findByIdWithStatementTimeout(randomId()))},
        {"+ socket timeout set and restored per call (`setNetworkTimeout`)",
            (Measure.Op) i -> require(raw.findByIdWithSocketTimeout(randomId()))},
        {"+ both", (Measure.Op) i -> require(raw.findByIdWithTimeouts(randomId()))}};
    for (Object[] v : variants) {
      Progress.say("item 2: timeout cost " + v[0]);
      Measure.Op with = (Measure.Op) v[1];
      double[] r = Measure.interleavedThroughput(plain, with, THREADS, ROUND, ROUNDS);
      Measure.Latencies[] l = Measure.interleavedLatencies(plain, with, LATENCY_OPS);
      t.row(v[0], Markdown.f("%,.0f", r[0]), Markdown.f("%,.0f", r[1]), Markdown.f("%.3f", r[1] / r[0]),
          Markdown.f("%.0f", l[0].percentileMicros(50)), Markdown.f("%.0f", l[1].percentileMicros(50)));
    }
    return t.end().toString().strip();
  }

  private static String pair(Measure.Latencies l) {
    return Markdown.f("%.0f / %.0f", l.percentileMicros(50), l.percentileMicros(99));
  }

  private static long randomId() {
    return ThreadLocalRandom.current().nextLong(1, SEED_ROWS + 1);
  }

  private static int randomQty() {
    return ThreadLocalRandom.current().nextInt(0, SEED_ROWS - 200);
  }

  private static long randomDoomed() {
    return ThreadLocalRandom.current().nextLong(1, DOOMED_ROWS + 1);
  }

  private static void require(Object found) {
    if (found == null) {
      throw new IllegalStateException("a seeded row was not found");
    }
  }

  private static void requireSize(List<?> rows) {
    if (rows.size() != 100) {
      throw new IllegalStateException("expected 100 rows, got " + rows.size());
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
