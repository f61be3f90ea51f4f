package dev.holdfast.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Item 4: inserting 10,000 rows, counting round trips and time. JDBC: holdfast's {@code insertAll} against
 * pgjdbc's {@code executeBatch} with {@code reWriteBatchedInserts=true}, both counting round trips with
 * {@link RoundTripSockets}. PostgREST: holdfast's chunked {@code insertAll} against one request per row, against MockPostgrest.
 */
final class Batches {
  static final int ROWS = 10_000;
  private static final int REPEATS = 3;
  /** JDBC rounds are short (tens of ms): both sides get 30 unmeasured rounds first (holdfast reaches its steady time after about 30, pgjdbc after about 15), so neither is timed cold. */
  private static final int JDBC_WARMUP = 30;
  private static final int JDBC_REPEATS = 21;

  private static final String NOTE = "Round trips for JDBC are counted in the client, by a socket factory "
      + "given to pgjdbc: a round trip is the client turning from writing to reading, i.e. waiting for the "
      + "server; for PostgREST they are HTTP requests received by the server. holdfast runs each chunk (1,000 rows, "
      + "`JdbcBackend`'s default) as its own transaction (BEGIN with one INSERT ... SELECT * FROM unnest(...) "
      + "RETURNING, one array per column, then COMMIT: two round trips per chunk), so chunks are not atomic "
      + "together, as `Repository.insertAll` documents, and it reads every stored row back; pgjdbc's batch here "
      + "is one transaction and returns nothing. MockPostgrest is an in-memory stand-in, so PostgREST times "
      + "measure the client, HTTP on loopback and the mock, not a real PostgREST.";

  private Batches() {}

  static String run(Postgres pg) throws Exception {
    pg.exec("CREATE TABLE IF NOT EXISTS bench_batch (id bigserial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)");
    List<Item> rows = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Item(null, "row " + i, i));
    }
    Markdown md = new Markdown().heading("4. Batches: 10,000-row insert");
    Markdown.Table t = md.table("Path", "Method", "Round trips", "Time (median, ms)");
    jdbc(pg, rows, t);
    postgrest(rows, t);
    t.end();
    md.paragraph(NOTE);
    return md.toString();
  }

  private static void jdbc(Postgres pg, List<Item> rows, Markdown.Table t) throws Exception {
    String url = pg.jdbcUrl() + "&socketFactory=" + RoundTripSockets.class.getName();
    long[] hfTimes = new long[JDBC_REPEATS];
    long[][] rawTimes = new long[2][JDBC_REPEATS];
    long hfTrips = 0;
    long[] rawTrips = new long[2];
    int chunk;
    // The goal's comparison: pgjdbc with the driver settings holdfast's pools use (no server-side prepared
    // statements, which is what keeps it safe behind PgBouncer); beside it, pgjdbc's defaults, which prepare the
    // batch's statement on the server after five executions.
    try (HikariDataSource ds = Pools.poolerSafe(url, 1);
        HikariDataSource sameSettings = Pools.poolerSafe(url + "&reWriteBatchedInserts=true", 1);
        HikariDataSource driverDefaults = Pools.driverDefaults(url + "&reWriteBatchedInserts=true", 1);
        JdbcBackend backend = JdbcBackend.wrap(ds);
        Holdfast db = Holdfast.builder(backend).build()) {
      chunk = backend.maxBatchSize();
      Repository<Item, Long> repo = db.repository(Item.TABLE_BATCH);
      repo.count(dev.holdfast.Filter.all()); // opens the pooled connection and loads column types
      HikariDataSource[] raw = {sameSettings, driverDefaults};
      for (int round = 0; round < JDBC_WARMUP + JDBC_REPEATS; round++) {
        int r = Math.max(0, round - JDBC_WARMUP); // warm-up rounds are overwritten by the first measured one
        Progress.say("item 4: JDBC round " + (round + 1) + (round < JDBC_WARMUP ? " (warm-up)" : ""));
        pg.exec("TRUNCATE bench_batch");
        long trips0 = RoundTripSockets.roundTrips();
        long t0 = System.nanoTime();
        int stored = repo.insertAll(rows).size();
        hfTimes[r] = System.nanoTime() - t0;
        hfTrips = RoundTripSockets.roundTrips() - trips0;
        check(stored);
        for (int k = 0; k < raw.length; k++) {
          pg.exec("TRUNCATE bench_batch");
          try (Connection c = raw[k].getConnection()) {
            long before = RoundTripSockets.roundTrips();
            t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_batch (name, qty) VALUES (?, ?)")) {
              for (Item item : rows) {
                ps.setString(1, item.name());
                ps.setInt(2, item.qty());
                ps.addBatch();
              }
              ps.executeBatch();
            }
            c.commit();
            rawTimes[k][r] = System.nanoTime() - t0;
            rawTrips[k] = RoundTripSockets.roundTrips() - before;
            c.setAutoCommit(true);
          }
        }
      }
    }
    t.row("JDBC direct", "holdfast `insertAll` (" + chunk + " rows per statement as arrays, one transaction each, "
        + "rows read back)", hfTrips, ms(hfTimes));
    t.row("JDBC direct", "pgjdbc `executeBatch`, `reWriteBatchedInserts=true`, one transaction, holdfast's driver "
        + "settings", rawTrips[0], ms(rawTimes[0]));
    t.row("JDBC direct", "the same with pgjdbc's default settings (server-side prepared statements)", rawTrips[1],
        ms(rawTimes[1]));
    t.row("JDBC direct", "ratio holdfast / pgjdbc with the same settings (goal <= 1.10)", "",
        Markdown.f("%.2f", median(hfTimes) / (double) median(rawTimes[0])));
    t.row("JDBC direct", "ratio holdfast / pgjdbc with its defaults", "",
        Markdown.f("%.2f", median(hfTimes) / (double) median(rawTimes[1])));
  }

  private static void postgrest(List<Item> rows, Markdown.Table t) {
    InMemoryDatabase mem = new InMemoryDatabase();
    mem.createTable("public", "bench_batch", "id", true);
    try (MockPostgrest server = MockPostgrest.start(mem);
        Holdfast db = Holdfast.builder(PostgrestBackend.create(PostgrestClient.builder(server.url())
            .apiKey("bench"))).build()) {
      Repository<Item, Long> repo = db.repository(Item.TABLE_BATCH);
      long[] chunked = new long[REPEATS];
      long[] perRow = new long[REPEATS];
      int chunkedRequests = 0;
      int perRowRequests = 0;
      for (int r = 0; r < REPEATS; r++) {
        Progress.say("item 4: PostgREST round " + (r + 1));
        mem.truncate("public", "bench_batch");
        int before = server.requestCount();
        long t0 = System.nanoTime();
        check(repo.insertAll(rows).size());
        chunked[r] = System.nanoTime() - t0;
        chunkedRequests = server.requestCount() - before;
        mem.truncate("public", "bench_batch");
        before = server.requestCount();
        t0 = System.nanoTime();
        for (Item row : rows) {
          repo.insert(row);
        }
        perRow[r] = System.nanoTime() - t0;
        perRowRequests = server.requestCount() - before;
      }
      t.row("PostgREST (MockPostgrest)", "holdfast `insertAll`, chunked (500 rows per request)", chunkedRequests,
          ms(chunked));
      t.row("PostgREST (MockPostgrest)", "holdfast `insert`, one request per row", perRowRequests, ms(perRow));
    }
  }

  private static void check(int stored) {
    if (stored != ROWS) {
      throw new IllegalStateException("stored " + stored + " rows, expected " + ROWS);
    }
  }

  private static String ms(long[] nanos) {
    return Markdown.f("%.1f", median(nanos) / 1e6);
  }

  private static long median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
