package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.ForwardingBackend;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The default policy's circuit breaker under load while the thing in front of the data is killed and started
 * again: a restarted PostgreSQL (direct, and behind PgBouncer) and a killed and restarted PgBouncer (behind a
 * FaultProxy that keeps the clients' port). Asserts what counts (nothing lost, nothing written twice, every
 * failure typed, at most 1.2 attempts reaching the backend per call while it is down, probes included, and every
 * client succeeding again once it is back) and reports the timings, which the benchmarks measure (docs/benchmarks.md,
 * section 6b), through JUnit's report entries and one {@code [recovery]} line each on standard output. When
 * PgBouncer queues the calls instead of failing them, none fails and the bound is one retry per call.
 */
class BreakerRecoveryTest {
  record Row(Long id, String name, int v) {}

  static final Table<Row, Long> ROWS = Table.builder("recovery_rows", Row.class, Long.class).build();
  static final String DDL = "CREATE TABLE IF NOT EXISTS recovery_rows (id bigserial PRIMARY KEY, name text NOT NULL, "
      + "v int NOT NULL)";
  static final int CLIENTS = 6;
  static final Duration DOWN = Duration.ofSeconds(3);
  /** The most a load may run after the fault waiting for every client to succeed again. */
  static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

  /**
   * Counts what reaches the backend: attempts per calling thread (a blocking call runs its attempts on the
   * caller's thread, so each is charged to the call that made it), and health probes while it is down.
   */
  static final class Counting extends ForwardingBackend {
    private static final ThreadLocal<int[]> ATTEMPTS = ThreadLocal.withInitial(() -> new int[1]);
    final AtomicLong calls = new AtomicLong();
    final AtomicLong probesWhileDown = new AtomicLong();
    volatile boolean down;

    Counting(Backend delegate) {
      super(delegate);
    }

    /** The attempts this thread made since it last asked. */
    static int takeAttempts() {
      int[] a = ATTEMPTS.get();
      int n = a[0];
      a[0] = 0;
      return n;
    }

    @Override
    protected void beforeCall(String operation) {
      calls.incrementAndGet();
      ATTEMPTS.get()[0]++;
    }

    @Override
    public dev.holdfast.HealthReport check(Duration timeout) {
      if (down) {
        probesWhileDown.incrementAndGet();
      }
      return super.check(timeout);
    }
  }

  /** What the load saw. */
  static final class Load {
    final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Throwable> untyped = new ConcurrentLinkedQueue<>();
    final AtomicLong callsWhileDown = new AtomicLong();
    final AtomicLong attemptsWhileDown = new AtomicLong();
    final AtomicLong failedWhileDown = new AtomicLong();
    final AtomicLong failedAfterUp = new AtomicLong();
    final LongAccumulator firstSuccessAfterUp = new LongAccumulator(Math::min, Long.MAX_VALUE);
    final long[] clientRecovered = new long[CLIENTS];
    volatile long downAt = Long.MAX_VALUE;
    volatile long upAt = Long.MAX_VALUE;
    final Map<String, Integer> afterUp = new ConcurrentHashMap<>();
  }

  @Test
  void aPostgresqlRestartIsAbsorbedAndCallsSucceedSoonAfterItAnswers(TestReporter report) throws Exception {
    try (Restartable pg = Restartable.start()) {
      pg.execute(DDL);
      TestDatabase db = TestDatabase.existing(pg.port, "postgres", "postgres");
      Load load = runThrough(db.uri(), report, "PostgreSQL restart, direct", () -> {
        pg.stop();
        sleep(DOWN);
        pg.startAgain();
      });
      verify(load, pg.dataSource());
    }
  }

  @Test
  void aPostgresqlRestartBehindPgBouncerIsAbsorbedTheSameWay(TestReporter report) throws Exception {
    PgBouncer.assumeInstalled();
    try (Restartable pg = Restartable.start()) {
      pg.execute(DDL);
      TestDatabase db = TestDatabase.existing(pg.port, "postgres", "postgres");
      try (PgBouncer bouncer = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION, 2, Duration.ofSeconds(1))) {
        Load load = runThrough(bouncer.uri(), report, "PostgreSQL restart behind PgBouncer", () -> {
          pg.stop();
          sleep(DOWN);
          pg.startAgain();
        });
        verify(load, pg.dataSource());
      }
    }
  }

  @Test
  void aKilledAndRestartedPgBouncerIsAbsorbedTheSameWay(TestReporter report) throws Exception {
    PgBouncer.assumeInstalled();
    try (TestDatabase db = TestPostgres.createDatabase()) {
      db.execute(DDL);
      PgBouncer[] bouncer = {PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION, 2)};
      int port = freePort();
      // The clients' port stays the same across the restart, as it does for a PgBouncer restarted in place.
      FaultProxy[] proxy = {FaultProxy.builder("127.0.0.1", bouncer[0].port()).listenPort(port).start()};
      try {
        String uri = "postgresql://" + db.user() + "@127.0.0.1:" + port + "/" + db.name();
        Load load = runThrough(uri, report, "PgBouncer killed and restarted", () -> {
          proxy[0].close();
          bouncer[0].close();
          sleep(DOWN);
          bouncer[0] = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION, 2);
          proxy[0] = FaultProxy.builder("127.0.0.1", bouncer[0].port()).listenPort(port).start();
        });
        verify(load, db.dataSource());
      } finally {
        proxy[0].close();
        bouncer[0].close();
      }
    }
  }

  /** A fault that takes the path down and brings it back; runs on the load's controlling thread. */
  @FunctionalInterface
  interface Fault {
    void run() throws Exception;
  }

  private static Load runThrough(String uri, TestReporter report, String what, Fault fault) throws Exception {
    Load load = new Load();
    Counting counting = new Counting(JdbcBackend.builder(uri).maximumPoolSize(CLIENTS).build());
    try (Holdfast db = Holdfast.builder(counting).build()) {
      Repository<Row, Long> rows = db.repository(ROWS);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> work(client, rows, load, stop), "recovery-client-" + c);
        t.start();
        clients.add(t);
      }
      Thread.sleep(1_500);
      long callsBefore = counting.calls.get();
      load.downAt = System.nanoTime();
      counting.down = true;
      fault.run();
      counting.down = false;
      load.upAt = System.nanoTime();
      long limit = System.nanoTime() + RECOVERY_LIMIT.toNanos();
      while (!allRecovered(load) && System.nanoTime() < limit) {
        Thread.sleep(20);
      }
      Thread.sleep(500);
      stop.set(true);
      for (Thread t : clients) {
        t.join();
      }
      assertThat(callsBefore).as("the load ran before the fault").isPositive();
    }
    double perCall = (load.attemptsWhileDown.get() + counting.probesWhileDown.get())
        / (double) Math.max(1, load.callsWhileDown.get());
    String figures = String.format(java.util.Locale.ROOT,
        "down %d ms: %d calls, %d failed (all typed), %d attempts and %d probes reaching the backend (%.3f per "
            + "call); first success %d ms after it was back, every client within %d ms; %d calls failed after",
        (load.upAt - load.downAt) / 1_000_000, load.callsWhileDown.get(), load.failedWhileDown.get(),
        load.attemptsWhileDown.get(), counting.probesWhileDown.get(), perCall,
        (load.firstSuccessAfterUp.get() - load.upAt) / 1_000_000, (lastRecovery(load) - load.upAt) / 1_000_000,
        load.failedAfterUp.get());
    report.publishEntry(what, figures);
    System.out.println("[recovery] " + what + ": " + figures);
    load.afterUp.forEach((k, v) -> System.out.println("[after-up] " + v + " x " + k));
    assertThat(load.callsWhileDown.get()).as("calls made while it was down").isPositive();
    if (load.failedWhileDown.get() == 0) {
      // PgBouncer held every call in its queue until PostgreSQL was back: nothing failed and the breaker had no
      // reason to open. A call that met the server's shutdown (57P01 / 57P03) was retried once into that queue.
      assertThat(perCall).as("attempts per call while it was down, none failing").isLessThanOrEqualTo(2.0);
    } else {
      // The breaker keeps the load on a down backend near one attempt per call. Behind PgBouncer a call waits in its
      // queue for seconds, so only a handful of calls are made while it is down, and the one retry a client's
      // in-flight call may take when the shutdown (57P01) reaches it is a large share of them: allow that retry,
      // one per client, beside the 20 % the bound allows in general.
      long reaching = load.attemptsWhileDown.get() + counting.probesWhileDown.get();
      long calls = Math.max(1, load.callsWhileDown.get());
      assertThat(reaching).as("attempts and probes reaching the backend while it was down, for %d calls (%.3f per "
          + "call)", calls, perCall).isLessThanOrEqualTo((long) Math.floor(calls * 1.2) + CLIENTS);
    }
    assertThat(allRecovered(load)).as("every client succeeded again after it was back").isTrue();
    return load;
  }

  private static void work(int client, Repository<Row, Long> rows, Load load, AtomicBoolean stop) {
    for (int i = 0; !stop.get(); i++) {
      String name = "c" + client + "-" + i;
      long start = System.nanoTime();
      boolean ok = false;
      try {
        switch (i % 3) {
          case 0 -> {
            try {
              rows.insert(new Row(null, name, i));
              load.acknowledged.add(name);
              ok = true;
            } catch (UnknownOutcomeException e) {
              load.unknown.add(name);
            }
          }
          case 1 -> {
            rows.upsert(new Row(1_000_000L + client, "upsert", i));
            ok = true;
          }
          default -> {
            rows.findById(1_000_000L + client);
            ok = true;
          }
        }
      } catch (HoldfastException e) {
        ok = false;
        if (System.nanoTime() >= load.upAt) {
          load.afterUp.merge(e.getClass().getSimpleName() + ": " + e.getMessage().split("\\[")[0], 1, Integer::sum);
        }
      } catch (Throwable e) {
        load.untyped.add(e);
      }
      long end = System.nanoTime();
      int attempts = Counting.takeAttempts();
      if (start >= load.downAt && start < load.upAt) {
        load.callsWhileDown.incrementAndGet();
        load.attemptsWhileDown.addAndGet(attempts);
        if (!ok) {
          load.failedWhileDown.incrementAndGet();
        }
      }
      if (start >= load.upAt) {
        if (ok) {
          load.firstSuccessAfterUp.accumulate(end);
          synchronized (load.clientRecovered) {
            if (load.clientRecovered[client] == 0) {
              load.clientRecovered[client] = end;
            }
          }
        } else {
          load.failedAfterUp.incrementAndGet();
        }
      }
      sleep(Duration.ofMillis(10));
    }
  }

  private static boolean allRecovered(Load load) {
    synchronized (load.clientRecovered) {
      for (long t : load.clientRecovered) {
        if (t == 0) {
          return false;
        }
      }
      return true;
    }
  }

  private static long lastRecovery(Load load) {
    synchronized (load.clientRecovered) {
      long last = 0;
      for (long t : load.clientRecovered) {
        last = t == 0 ? Long.MAX_VALUE : Math.max(last, t);
      }
      return last;
    }
  }

  private static void verify(Load load, DataSource ds) throws SQLException {
    assertThat(load.untyped).as("failures that are not HoldfastExceptions").isEmpty();
    Map<String, Long> byName = new HashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name, count(*) FROM recovery_rows WHERE name <> 'upsert' "
            + "GROUP BY name")) {
      while (rs.next()) {
        byName.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertThat(load.acknowledged).isNotEmpty();
    assertThat(byName.values()).as("nothing written twice").allMatch(n -> n == 1);
    for (String name : load.acknowledged) {
      assertThat(byName).as("acknowledged insert " + name).containsEntry(name, 1L);
    }
    assertThat(byName.keySet()).as("only inserts that were acknowledged or reported as unknown")
        .allMatch(n -> load.acknowledged.contains(n) || load.unknown.contains(n));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A private embedded PostgreSQL on a fixed port and data directory, so that it can be stopped and started. */
  static final class Restartable implements AutoCloseable {
    final Path data;
    final int port;
    EmbeddedPostgres server;

    private Restartable(Path data, int port) throws IOException {
      this.data = data;
      this.port = port;
      startAgain();
    }

    static Restartable start() throws IOException {
      return new Restartable(Files.createTempDirectory("holdfast-recovery"), freePort());
    }

    void startAgain() throws IOException {
      server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    void stop() throws IOException {
      server.close();
    }

    DataSource dataSource() {
      return server.getPostgresDatabase();
    }

    void execute(String sql) throws SQLException {
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        server.close();
      } finally {
        try (Stream<Path> files = Files.walk(data)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
