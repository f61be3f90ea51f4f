package dev.holdfast.benchmarks;

import dev.holdfast.Changes;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.testkit.FaultProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The soak: mixed load through a FaultProxy and PgBouncer (transaction mode) to PostgreSQL while faults are
 * injected in rotation, then a reconciliation of what clients were told against what the database holds.
 */
final class Soak {
  static final int CLIENTS = 8;
  static final Duration FAULT_EVERY = Duration.ofSeconds(15);
  static final Duration LATENCY_SPIKE = Duration.ofMillis(300);
  static final Duration SPIKE_LENGTH = Duration.ofSeconds(5);

  /** A soak row: {@code op_key} is the client's idempotency witness and deliberately not unique. */
  public record SoakRow(Long id, String opKey, int client, long value) {
    static final Table<SoakRow, Long> TABLE = Table.builder("soak_rows", SoakRow.class, Long.class).build();
  }

  private Soak() {}

  static String run(Duration duration) throws Exception {
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    Progress.say("soak: " + duration + " starting embedded PostgreSQL, PgBouncer and FaultProxy");
    SoakLedger ledger = new SoakLedger();
    List<SoakLedger.Client> clients = new ArrayList<>();
    Map<String, Integer> faults = new HashMap<>();
    try (Postgres pg = Postgres.start(true); PgBouncer bouncer = PgBouncer.start(pg.port(), 4);
        FaultProxy proxy = FaultProxy.start("127.0.0.1", bouncer.port())) {
      pg.exec("CREATE TABLE soak_rows (id bigserial PRIMARY KEY, op_key text NOT NULL, client int NOT NULL, "
          + "value bigint NOT NULL)");
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres";
      // The defaults, breaker included (100 ms doubling to 2 s, probe every 500 ms): what applications get.
      ResiliencePolicy policy = ResiliencePolicy.defaults();
      try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).maximumPoolSize(CLIENTS)
          .connectionTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build())
          .policy(policy).build()) {
        Repository<SoakRow, Long> repo = db.repository(SoakRow.TABLE);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          SoakLedger.Client client = new SoakLedger.Client();
          clients.add(client);
          int id = c;
          Thread t = new Thread(() -> work(id, repo, client, ledger, stop), "soak-client-" + c);
          t.start();
          threads.add(t);
        }
        long end = System.nanoTime() + duration.toNanos();
        int n = 0;
        while (System.nanoTime() + FAULT_EVERY.toNanos() < end) {
          Thread.sleep(FAULT_EVERY.toMillis());
          String fault = switch (n++ % 4) {
            case 0 -> {
              pg.restart();
              yield "PostgreSQL restart (fast shutdown, start)";
            }
            case 1 -> {
              bouncer.restart();
              yield "PgBouncer restart";
            }
            case 2 -> {
              pg.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                  + "AND pid <> pg_backend_pid()");
              proxy.resetAll();
              yield "connections killed (server backends terminated, client sockets reset)";
            }
            default -> {
              proxy.latency(LATENCY_SPIKE);
              Thread.sleep(SPIKE_LENGTH.toMillis());
              proxy.heal();
              yield "latency spike (+" + LATENCY_SPIKE.toMillis() + " ms each way for " + SPIKE_LENGTH.toSeconds()
                  + " s)";
            }
          };
          faults.merge(fault, 1, Integer::sum);
          Progress.say("soak: " + fault + "; " + ledger.attempted.get() + " operations so far");
        }
        long left = end - System.nanoTime();
        if (left > 0) {
          Thread.sleep(left / 1_000_000);
        }
        stop.set(true);
        for (Thread t : threads) {
          t.join();
        }
      }
      proxy.heal();
      Progress.say("soak: reconciling");
      return report(duration, started, ledger, clients, faults, reconcile(pg, clients));
    }
  }

  private static void work(int id, Repository<SoakRow, Long> repo, SoakLedger.Client me, SoakLedger ledger,
      AtomicBoolean stop) {
    long counter = 0;
    while (!stop.get()) {
      int dice = ThreadLocalRandom.current().nextInt(10);
      ledger.attempted.incrementAndGet();
      String key = null;
      Long row = null;
      long value = ++counter;
      try {
        if (dice < 4 || me.rowIds.isEmpty()) {
          key = UUID.randomUUID().toString();
          SoakRow stored = repo.insert(new SoakRow(null, key, id, value));
          me.acknowledged.put(key, stored.id());
          me.rowIds.add(stored.id());
          me.lastAckedValue.put(stored.id(), value);
        } else if (dice < 7) {
          row = me.rowIds.get(ThreadLocalRandom.current().nextInt(me.rowIds.size()));
          me.triedSinceAck.computeIfAbsent(row, k -> new ArrayList<>()).add(value);
          Optional<SoakRow> updated = repo.updateById(row, Changes.set("value", value));
          if (updated.isEmpty()) {
            throw new IllegalStateException("an acknowledged row vanished: " + row);
          }
          me.lastAckedValue.put(row, value);
          me.triedSinceAck.remove(row);
        } else {
          repo.findById(me.rowIds.get(ThreadLocalRandom.current().nextInt(me.rowIds.size())));
        }
        ledger.succeeded.incrementAndGet();
      } catch (UnknownOutcomeException e) {
        ledger.unknownOutcome.incrementAndGet();
        ledger.failure(e.getClass().getSimpleName() + " " + e.code().orElse(""));
        if (key != null) {
          me.unknown.add(key);
        }
      } catch (HoldfastException e) {
        ledger.typedFailure.incrementAndGet();
        ledger.failure(e.getClass().getSimpleName() + " " + e.code().orElse(""));
        if (key != null) {
          me.notApplied.add(key);
        }
      } catch (RuntimeException e) {
        ledger.untypedFailure.incrementAndGet();
        ledger.failure("untyped " + e.getClass().getName());
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads every row back directly from PostgreSQL; returns {lost, duplicated, failedButApplied, unknownApplied}. */
  private static long[] reconcile(Postgres pg, List<SoakLedger.Client> clients) throws Exception {
    Map<String, Integer> keyCount = new HashMap<>();
    Map<Long, Long> values = new HashMap<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, op_key, value FROM soak_rows")) {
      while (rs.next()) {
        keyCount.merge(rs.getString(2), 1, Integer::sum);
        values.put(rs.getLong(1), rs.getLong(3));
      }
    }
    long lost = 0;
    long failedButApplied = 0;
    long unknownApplied = 0;
    for (SoakLedger.Client me : clients) {
      for (String key : me.acknowledged.keySet()) {
        if (!keyCount.containsKey(key)) {
          lost++;
        }
      }
      for (Map.Entry<Long, Long> e : me.lastAckedValue.entrySet()) {
        Long actual = values.get(e.getKey());
        List<Long> tried = me.triedSinceAck.getOrDefault(e.getKey(), List.of());
        if (actual == null || (!actual.equals(e.getValue()) && !tried.contains(actual))) {
          lost++;
        }
      }
      for (String key : me.notApplied) {
        if (keyCount.containsKey(key)) {
          failedButApplied++;
        }
      }
      for (String key : me.unknown) {
        if (keyCount.containsKey(key)) {
          unknownApplied++;
        }
      }
    }
    long duplicated = keyCount.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    return new long[] {lost, duplicated, failedButApplied, unknownApplied};
  }

  private static String report(Duration duration, OffsetDateTime started, SoakLedger ledger,
      List<SoakLedger.Client> clients, Map<String, Integer> faults, long[] checks) {
    OffsetDateTime ended = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    long unknownInserts = clients.stream().mapToLong(c -> c.unknown.size()).sum();
    Markdown md = new Markdown().heading("Soak: " + duration.toMinutes() + " min" + (duration.toSecondsPart() > 0
        ? " " + duration.toSecondsPart() + " s" : ""));
    md.paragraph(Machine.describe(started, ended).trim() + Markdown.f(" %d clients, each on its own rows: 40 %% "
        + "inserts, 30 %% updates by id, 30 %% selects by id, 2 ms apart; path client -> FaultProxy -> PgBouncer "
        + "(transaction mode, pool 4) -> PostgreSQL 16 (synchronous_commit on). Policy: "
        + "`ResiliencePolicy.defaults()` (breaker open 100 ms doubling to 2 s, probe every 500 ms). One fault every %d s, in rotation.", CLIENTS, FAULT_EVERY.toSeconds()));
    Markdown.Table f = md.table("Fault injected", "Times");
    faults.forEach(f::row);
    f.end();
    md.table("Outcome", "Operations", "Must be")
        .row("attempted", ledger.attempted.get(), "")
        .row("succeeded", ledger.succeeded.get(), "")
        .row("failed with a typed error", ledger.typedFailure.get(), "")
        .row("... of which rejected by the open circuit breaker, nothing sent", ledger.failuresByCode
            .getOrDefault("CircuitOpenException HF_CIRCUIT_OPEN", new java.util.concurrent.atomic.AtomicLong()).get(),
            "")
        .row("unknown outcome (`UnknownOutcomeException`)", ledger.unknownOutcome.get(), "")
        .row("failed with an untyped error", ledger.untypedFailure.get(), "0")
        .row("lost (acknowledged but missing or overwritten by an older value)", checks[0], "0")
        .row("duplicated (one insert stored twice)", checks[1], "0")
        .row("typed failure on an insert that was nevertheless applied", checks[2], "0")
        .end();
    md.paragraph(Markdown.f("Unknown outcomes resolved afterwards: %d of %d inserts with an unknown outcome were in "
        + "fact applied. Failures by type and code: %s.", checks[3], unknownInserts,
        new java.util.TreeMap<>(ledger.failuresByCode)));
    boolean ok = checks[0] == 0 && checks[1] == 0 && checks[2] == 0 && ledger.untypedFailure.get() == 0;
    md.paragraph("**Goal: nothing lost, nothing duplicated** - " + Markdown.verdict(ok) + ".");
    return md.toString();
  }
}
