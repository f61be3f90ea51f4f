package dev.holdfast.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Holdfast;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.jdbc.ReadYourWrites;
import dev.holdfast.testkit.PostgresCluster;
import dev.holdfast.testkit.PostgresCluster.Node;
import dev.holdfast.testkit.ReplayPause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Item 8: a real Patroni cluster (PostgreSQL 15, one primary, two synchronous-capable replicas, etcd, HAProxy)
 * under 16 threads of mixed reads and writes, through holdfast and, at the same time and against the same event,
 * through plain pgjdbc + HikariCP defaults (HAProxy's write port for writes, its read port for reads: what a team
 * would otherwise run). Each scenario is bounded; the cluster is whole again before the next.
 *
 * <p>Each thread loops: an insert of a row with its own id (idempotent: holdfast reads it back after an ambiguous
 * failure), a findById of that row (a read after one's own write: empty is a stale read), a find of ten rows, and an
 * insert of an event with a server-generated key and a unique token (not idempotent: a lost COMMIT reply is an
 * unknown outcome). Afterwards the primary is asked which acknowledged rows and tokens exist, and how often.
 */
final class ClusterScenarios {
  static final int THREADS = 16;
  static final Duration THINK = Duration.ofMillis(2);
  static final Duration WARM = Duration.ofSeconds(3);
  static final Duration HEAL = Duration.ofSeconds(90);

  /** A row with its own id. */
  public record ClusterItem(Long id, int writer, String note) {}

  /** A row with a server-generated id. */
  public record ClusterEvent(Long id, String token) {}

  static final Table<ClusterItem, Long> ITEMS = Table.builder("cluster_items", ClusterItem.class, Long.class).build();
  static final Table<ClusterEvent, Long> EVENTS =
      Table.builder("cluster_events", ClusterEvent.class, Long.class).build();

  /** One system's way to run the four operations. */
  interface Client extends AutoCloseable {
    void insertItem(long id, int writer) throws Exception;

    boolean itemVisible(long id) throws Exception;

    void findSome() throws Exception;

    void insertEvent(String token) throws Exception;

    @Override
    void close();
  }

  /** What one system saw in one scenario. */
  static final class Tally {
    final String system;
    final AtomicLong reads = new AtomicLong();
    final AtomicLong readErrors = new AtomicLong();
    final AtomicLong idempotentWrites = new AtomicLong();
    final AtomicLong idempotentErrors = new AtomicLong();
    final AtomicLong otherWrites = new AtomicLong();
    final AtomicLong otherErrors = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final Set<Long> ackedItems = ConcurrentHashMap.newKeySet();
    final Set<String> ackedTokens = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Long> ackNanos = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    long lost;
    long duplicated;

    Tally(String system) {
      this.system = system;
    }

    void error(AtomicLong counter, Exception e) {
      if (counter == readErrors && readErrors.get() < 3) {
        // The first few failed reads, for the progress log: which read failed, and why.
        Progress.say("item 8: " + system + " read failed: " + e);
      }
      counter.incrementAndGet();
      AtomicLong kind = errorKinds.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong());
      if (kind.getAndIncrement() == 0 && !(e instanceof dev.holdfast.HoldfastException)
          && !(e instanceof SQLException)) {
        // Not a failure the system means to report: a bug, shown once per kind.
        e.printStackTrace();
      }
    }
  }

  record Result(String scenario, String goal, Tally tally, long gapMillis, long afterWritableMillis) {}

  private ClusterScenarios() {}

  static String run() throws Exception {
    PostgresCluster.assumeInstalled();
    List<Result> results = new ArrayList<>();
    Progress.say("item 8: starting a Patroni cluster (PostgreSQL 15 x3, etcd, HAProxy)");
    try (PostgresCluster cluster = PostgresCluster.start()) {
      Node leader = cluster.leader().orElseThrow();
      cluster.execute(leader, "CREATE TABLE cluster_items (id bigint PRIMARY KEY, writer int NOT NULL, note text)",
          "CREATE TABLE cluster_events (id bigserial PRIMARY KEY, token text NOT NULL)",
          "CREATE INDEX ON cluster_events (token)");
      cluster.awaitHealthy(HEAL);
      results.addAll(scenario(cluster, "switchover", "patronictl switchover", false, c -> {
        long t = System.nanoTime();
        c.switchover();
        return t;
      }, Duration.ofSeconds(5), c -> { }));
      results.addAll(scenario(cluster, "failover", "SIGKILL of the primary, 30 s deadline", false, c -> {
        c.killPrimary();
        c.awaitWritable(Duration.ofSeconds(30));
        return System.nanoTime();
      }, Duration.ofSeconds(5), c -> { }));
      Node[] killed = new Node[1];
      results.addAll(scenario(cluster, "replica-killed", "a replica killed", false, c -> {
        killed[0] = c.killReplica(0);
        return 0L;
      }, Duration.ofSeconds(6), c -> c.startNode(killed[0])));
      ReplayPause[] pause = new ReplayPause[1];
      results.addAll(scenario(cluster, "replica-lagging", "a replica lagging 5 s, read-your-writes on", true, c -> {
        pause[0] = c.lag(c.replicas().get(0), Duration.ofSeconds(5));
        return 0L;
      }, Duration.ofSeconds(7), c -> pause[0].close()));
      results.addAll(scenario(cluster, "etcd-stopped", "etcd stopped", false, c -> {
        c.stopEtcd();
        return 0L;
      }, Duration.ofSeconds(12), PostgresCluster::startEtcd));
      cluster.awaitHealthy(HEAL);
    }
    return report(results);
  }

  /** An event that changes the cluster; returns when it accepts writes again (System.nanoTime), or 0. */
  interface Event {
    long apply(PostgresCluster cluster) throws Exception;
  }

  /** What puts the cluster back together after an event, once the load has stopped. */
  interface Restore {
    void apply(PostgresCluster cluster) throws Exception;
  }

  private static List<Result> scenario(PostgresCluster cluster, String name, String goal, boolean readYourWrites,
      Event event, Duration after, Restore restore) throws Exception {
    String only = System.getProperty("bench.cluster.only");
    if (only != null && !List.of(only.split(",")).contains(name)) {
      return List.of();
    }
    cluster.awaitHealthy(HEAL);
    Progress.say("item 8: " + name);
    Tally hf = new Tally("holdfast");
    Tally plain = new Tally("pgjdbc + HikariCP");
    AtomicBoolean stop = new AtomicBoolean();
    long base = System.currentTimeMillis() * 1000;
    List<Thread> threads = new ArrayList<>();
    try (Client h = holdfast(cluster, readYourWrites); Client p = plain(cluster)) {
      AtomicLong ids = new AtomicLong(base);
      for (int i = 0; i < THREADS; i++) {
        threads.add(loop(h, hf, ids, i, name + "-h", stop));
        threads.add(loop(p, plain, ids, i, name + "-p", stop));
      }
      threads.forEach(Thread::start);
      Thread.sleep(WARM.toMillis());
      long start = System.nanoTime();
      long writable;
      try {
        writable = event.apply(cluster);
      } catch (RuntimeException e) {
        // The fixture could not make the event happen: say so in the report rather than lose the other rows.
        stop.set(true);
        for (Thread t : threads) {
          t.join(Duration.ofSeconds(40).toMillis());
        }
        Progress.say("item 8: " + name + " did not run: " + e.getMessage().lines().findFirst().orElse(""));
        return List.of();
      }
      Thread.sleep(after.toMillis());
      stop.set(true);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(40).toMillis());
      }
      restore.apply(cluster);
      cluster.awaitWritable(Duration.ofSeconds(60));
      List<Result> out = new ArrayList<>();
      for (Tally t : List.of(hf, plain)) {
        verify(cluster, t, name + (t == hf ? "-h" : "-p"));
        out.add(new Result(name, goal, t, gap(t, start), writable == 0 ? -1 : afterWritable(t, writable)));
      }
      return out;
    }
  }

  private static Thread loop(Client client, Tally tally, AtomicLong ids, int writer, String prefix,
      AtomicBoolean stop) {
    Thread t = new Thread(() -> {
      long n = 0;
      while (!stop.get()) {
        long id = ids.incrementAndGet();
        boolean wrote = false;
        try {
          client.insertItem(id, writer);
          tally.idempotentWrites.incrementAndGet();
          tally.ackedItems.add(id);
          tally.ackNanos.add(System.nanoTime());
          wrote = true;
        } catch (UnknownOutcomeException e) {
          tally.unknown.incrementAndGet();
        } catch (Exception e) {
          tally.error(tally.idempotentErrors, e);
        }
        if (wrote) {
          try {
            tally.reads.incrementAndGet();
            if (!client.itemVisible(id)) {
              tally.stale.incrementAndGet();
            }
          } catch (Exception e) {
            tally.error(tally.readErrors, e);
          }
        }
        try {
          tally.reads.incrementAndGet();
          client.findSome();
        } catch (Exception e) {
          tally.error(tally.readErrors, e);
        }
        String token = prefix + "-" + writer + "-" + n++;
        try {
          client.insertEvent(token);
          tally.otherWrites.incrementAndGet();
          tally.ackedTokens.add(token);
          tally.ackNanos.add(System.nanoTime());
        } catch (UnknownOutcomeException e) {
          tally.unknown.incrementAndGet();
        } catch (Exception e) {
          tally.error(tally.otherErrors, e);
        }
        try {
          Thread.sleep(THINK.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "cluster-" + prefix + "-" + writer);
    t.setDaemon(true);
    return t;
  }

  /** Asks the primary which acknowledged writes exist, and which tokens exist more than once. */
  private static void verify(PostgresCluster cluster, Tally t, String prefix) throws SQLException {
    Node leader = cluster.leader().orElseThrow();
    Set<Long> found = new HashSet<>();
    Map<String, Long> tokens = new TreeMap<>();
    try (Connection c = cluster.connect(leader); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id FROM cluster_items")) {
        while (rs.next()) {
          found.add(rs.getLong(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT token, count(*) FROM cluster_events WHERE token LIKE ? GROUP BY token")) {
        ps.setString(1, prefix + "-%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tokens.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    t.lost = t.ackedItems.stream().filter(id -> !found.contains(id)).count()
        + t.ackedTokens.stream().filter(tok -> !tokens.containsKey(tok)).count();
    t.duplicated = tokens.values().stream().filter(n -> n > 1).count();
  }

  /** The longest time without an acknowledged write, from the event on. */
  private static long gap(Tally t, long start) {
    List<Long> acks = t.ackNanos.stream().filter(n -> n >= start).sorted().toList();
    long previous = start;
    long longest = 0;
    for (long n : acks) {
      longest = Math.max(longest, n - previous);
      previous = n;
    }
    return longest / 1_000_000;
  }

  /** From the cluster accepting writes again to this system's first acknowledged write after it. */
  private static long afterWritable(Tally t, long writable) {
    return t.ackNanos.stream().filter(n -> n >= writable).min(Long::compare).map(n -> (n - writable) / 1_000_000)
        .orElse(-1L);
  }

  /**
   * holdfast as the README's "Running on a cluster" configures it: the multi-host string of the three nodes
   * (writes to whichever is primary) and each node as a read replica (a node that is primary answers reads too),
   * under a 30 s deadline.
   */
  private static Client holdfast(PostgresCluster cluster, boolean readYourWrites) {
    JdbcBackend backend = JdbcBackend.builder(cluster.multiHostJdbcUrl())
        .readReplicas(cluster.nodes().stream().map(Node::jdbcUrl).toArray(String[]::new))
        .readYourWrites(ReadYourWrites.THREAD)
        .maxReplicaLag(Duration.ofSeconds(1))
        .build();
    Holdfast db = Holdfast.builder(backend).policy(policy()).build();
    Repository<ClusterItem, Long> items = db.repository(ITEMS);
    Repository<ClusterEvent, Long> events = db.repository(EVENTS);
    return new Client() {
      @Override
      public void insertItem(long id, int writer) {
        items.insert(new ClusterItem(id, writer, "x"));
      }

      @Override
      public boolean itemVisible(long id) {
        return items.findById(id).isPresent();
      }

      @Override
      public void findSome() {
        items.find(Query.all().orderBy(Order.desc("id")).limit(10));
      }

      @Override
      public void insertEvent(String token) {
        events.insert(new ClusterEvent(null, token));
      }

      @Override
      public void close() {
        db.close();
      }
    };
  }

  /**
   * The failover policy the README recommends on a cluster: a 30 s deadline and 30 attempts (100 ms doubling to
   * 2 s), without the circuit breaker and the retry budget, which exist to fail fast and shed load when a backend
   * is down for an unknown time: a switchover or failover is a known few seconds in which every call should wait
   * for the new primary rather than fail.
   */
  static ResiliencePolicy policy() {
    return ResiliencePolicy.builder().deadline(Duration.ofSeconds(30)).maxAttempts(30).withoutCircuitBreaker()
        .withoutRetryBudget().build();
  }

  /** Plain pgjdbc + HikariCP with their defaults: HAProxy's write port for writes, its read port for reads. */
  private static Client plain(PostgresCluster cluster) {
    HikariDataSource writes = hikari(cluster.writeJdbcUrl());
    HikariDataSource reads = hikari(cluster.readJdbcUrl());
    return new Client() {
      @Override
      public void insertItem(long id, int writer) throws SQLException {
        try (Connection c = writes.getConnection();
            PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_items (id, writer, note) VALUES (?, ?, 'x')")) {
          ps.setLong(1, id);
          ps.setInt(2, writer);
          ps.executeUpdate();
        }
      }

      @Override
      public boolean itemVisible(long id) throws SQLException {
        try (Connection c = reads.getConnection();
            PreparedStatement ps = c.prepareStatement("SELECT id, writer, note FROM cluster_items WHERE id = ?")) {
          ps.setLong(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        }
      }

      @Override
      public void findSome() throws SQLException {
        try (Connection c = reads.getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT id, writer, note FROM cluster_items ORDER BY id DESC LIMIT 10")) {
          while (rs.next()) {
            rs.getLong(1);
          }
        }
      }

      @Override
      public void insertEvent(String token) throws SQLException {
        try (Connection c = writes.getConnection();
            PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_events (token) VALUES (?)")) {
          ps.setString(1, token);
          ps.executeUpdate();
        }
      }

      @Override
      public void close() {
        writes.close();
        reads.close();
      }
    };
  }

  private static HikariDataSource hikari(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    return new HikariDataSource(config);
  }

  static String report(List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append("### 8. On a real Patroni cluster: switchover, failover, replicas\n\n");
    out.append("`java -jar benchmarks/target/benchmarks.jar cluster`. A Patroni cluster on this machine (testkit's "
        + "`PostgresCluster`: PostgreSQL 15, a primary and two replicas, synchronous replication, etcd, HAProxy), "
        + THREADS + " threads per system looping over an own-id insert, a findById of that row, a find of 10 rows "
        + "and an insert with a server-generated key, " + THINK.toMillis() + " ms apart. holdfast and plain "
        + "pgjdbc + HikariCP defaults run at the same time through the same event. holdfast: the multi-host "
        + "string of the three nodes (targetServerType=primary by default) with each node as a read replica "
        + "(`maxReplicaLag` 1 s, read-your-writes per thread), policy: a 30 s deadline and 30 attempts, "
        + "without circuit breaker and retry budget (README, Running on a cluster). Plain: HikariCP defaults on HAProxy's write port for writes and "
        + "its read port for reads, no retries. Each scenario: " + WARM.toSeconds() + " s of load, the event, "
        + "then load for a few seconds more; the cluster is healthy again before the next one.\n\n");
    out.append("*errors* are failed calls by kind (reads / idempotent writes / other writes); *unknown* are "
        + "`UnknownOutcomeException`s (typed, counted apart from errors); *lost* are acknowledged writes missing "
        + "on the primary afterwards; *duplicated* are tokens stored more than once; *stale* are reads of one's "
        + "own acknowledged row that did not find it; *write gap* is the longest time without an acknowledged "
        + "write from the event on; *after writable* is the time from the cluster accepting writes again "
        + "(a write on HAProxy's write port committed on the new leader) to this system's first acknowledged "
        + "write.\n\n");
    out.append("| scenario | system | reads | writes | errors (r / idem / other) | unknown | lost | duplicated "
        + "| stale | write gap ms | after writable ms | error kinds |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      Tally t = r.tally();
      out.append(Markdown.f("| %s | %s | %d | %d | %d / %d / %d | %d | %d | %d | %d | %d | %s | %s |\n",
          r.goal(), t.system, t.reads.get(), t.idempotentWrites.get() + t.otherWrites.get(), t.readErrors.get(),
          t.idempotentErrors.get(), t.otherErrors.get(), t.unknown.get(), t.lost, t.duplicated, t.stale.get(),
          r.gapMillis(), r.afterWritableMillis() < 0 ? "—" : String.valueOf(r.afterWritableMillis()),
          t.errorKinds.isEmpty() ? "—" : t.errorKinds.entrySet().stream().sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
    }
    out.append('\n');
    return out.toString();
  }
}
