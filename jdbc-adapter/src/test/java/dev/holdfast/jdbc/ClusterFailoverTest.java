package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.PostgresCluster;
import dev.holdfast.testkit.PostgresCluster.Node;
import dev.holdfast.testkit.PostgresClusterExtension;
import dev.holdfast.testkit.ReplayPause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * holdfast on a real Patroni cluster (testkit's {@link PostgresCluster}: PostgreSQL 15, a primary and two replicas
 * with synchronous replication, etcd, HAProxy), configured as the README's "Running on a cluster" says: the
 * multi-host string of the three nodes for writes and each node as a read replica. One cluster for the class;
 * each test starts from a healthy cluster and leaves it whole.
 */
@ExtendWith(PostgresClusterExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {
  private static final Duration HEAL = Duration.ofSeconds(90);
  private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);

  public record Row(Long id, String note) {}

  public record Event(Long id, String token) {}

  private static final Table<Row, Long> ROWS = Table.builder("failover_rows", Row.class, Long.class).build();
  private static final Table<Event, Long> EVENTS = Table.builder("failover_events", Event.class, Long.class).build();

  @BeforeAll
  static void schema(PostgresCluster cluster) {
    cluster.execute(cluster.leader().orElseThrow(), "CREATE TABLE failover_rows (id bigint PRIMARY KEY, note text)",
        "CREATE TABLE failover_events (id bigserial PRIMARY KEY, token text NOT NULL)");
  }

  @BeforeEach
  void whole(PostgresCluster cluster) {
    cluster.awaitHealthy(HEAL);
  }

  private static Holdfast holdfast(PostgresCluster cluster, ReadYourWrites ryw, ResiliencePolicy policy) {
    JdbcBackend backend = JdbcBackend.builder(cluster.multiHostJdbcUrl())
        .readReplicas(cluster.nodes().stream().map(Node::jdbcUrl).toArray(String[]::new))
        .maxReplicaLag(Duration.ofSeconds(1))
        .readYourWrites(ryw)
        .build();
    return Holdfast.builder(backend).policy(policy).build();
  }

  private static ResiliencePolicy thirtySeconds() {
    return ResiliencePolicy.builder().deadline(Duration.ofSeconds(30)).maxAttempts(30).withoutCircuitBreaker()
        .withoutRetryBudget().build();
  }

  /** Writers of own-id rows and of server-keyed events, and what they were told. */
  private static final class Writers {
    final Set<Long> ackedRows = ConcurrentHashMap.newKeySet();
    final Set<String> ackedTokens = ConcurrentHashMap.newKeySet();
    final AtomicLong unknown = new AtomicLong();
    final ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    Writers(Holdfast db, int count, String prefix) {
      Repository<Row, Long> rows = db.repository(ROWS);
      Repository<Event, Long> events = db.repository(EVENTS);
      for (int i = 0; i < count; i++) {
        int w = i;
        threads.add(new Thread(() -> {
          for (int n = 0; !stop.get(); n++) {
            long id = IDS.incrementAndGet();
            String token = prefix + "-" + w + "-" + n;
            try {
              rows.insert(new Row(id, "x"));
              ackedRows.add(id);
              events.insert(new Event(null, token));
              ackedTokens.add(token);
            } catch (UnknownOutcomeException e) {
              unknown.incrementAndGet();
            } catch (RuntimeException e) {
              errors.add(e);
            }
          }
        }));
      }
      threads.forEach(Thread::start);
    }

    void stopAndJoin() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(40_000);
      }
    }
  }

  private static void assertNothingLostOrDuplicated(PostgresCluster cluster, Writers w, String prefix)
      throws Exception {
    Node leader = cluster.awaitWritable(Duration.ofSeconds(30));
    Set<Long> rows = ConcurrentHashMap.newKeySet();
    Map<String, Long> tokens = new HashMap<>();
    try (Connection c = cluster.connect(leader)) {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM failover_rows")) {
        while (rs.next()) {
          rows.add(rs.getLong(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT token, count(*) FROM failover_events WHERE token LIKE ? GROUP BY token")) {
        ps.setString(1, prefix + "-%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tokens.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    assertThat(w.ackedRows).as("acknowledged rows").isNotEmpty();
    assertThat(w.ackedRows).as("acknowledged rows are all on the primary").allMatch(rows::contains);
    assertThat(w.ackedTokens).as("acknowledged events are all on the primary").allMatch(tokens::containsKey);
    assertThat(tokens.values()).as("no event stored twice").allMatch(n -> n == 1);
  }

  @Test
  void aSwitchoverWithWritesInFlightLosesAndDuplicatesNothingAndSurfacesOnlyUnknownOutcomes(PostgresCluster cluster)
      throws Exception {
    try (Holdfast db = holdfast(cluster, ReadYourWrites.OFF, thirtySeconds())) {
      Writers w = new Writers(db, 8, "switchover");
      Thread.sleep(1_000);
      cluster.switchover();
      Thread.sleep(2_000);
      w.stopAndJoin();
      assertThat(w.errors).as("failures other than typed unknown outcomes").isEmpty();
      assertNothingLostOrDuplicated(cluster, w, "switchover");
    }
  }

  @Test
  void aKilledPrimaryIsReplacedWithinTheDeadlineAndNoAcknowledgedWriteIsLost(PostgresCluster cluster)
      throws Exception {
    try (Holdfast db = holdfast(cluster, ReadYourWrites.OFF, thirtySeconds())) {
      Writers w = new Writers(db, 8, "failover");
      Thread.sleep(1_000);
      cluster.killPrimary();
      cluster.awaitWritable(Duration.ofSeconds(30));
      Thread.sleep(2_000);
      w.stopAndJoin();
      assertThat(w.errors).as("failures other than typed unknown outcomes").isEmpty();
      assertNothingLostOrDuplicated(cluster, w, "failover");
    }
  }

  @Test
  void readsFallBackToAnotherServerWhenAReplicaIsKilled(PostgresCluster cluster) throws Exception {
    Node killed = null;
    try (Holdfast db = holdfast(cluster, ReadYourWrites.OFF, ResiliencePolicy.defaults())) {
      Repository<Row, Long> rows = db.repository(ROWS);
      long id = IDS.incrementAndGet();
      rows.insert(new Row(id, "read me"));
      ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
      AtomicLong reads = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        readers.add(new Thread(() -> {
          while (!stop.get()) {
            try {
              rows.find(Query.all().limit(5));
              reads.incrementAndGet();
            } catch (RuntimeException e) {
              errors.add(e);
            }
          }
        }));
      }
      readers.forEach(Thread::start);
      Thread.sleep(500);
      killed = cluster.killReplica(0);
      Thread.sleep(3_000);
      stop.set(true);
      for (Thread t : readers) {
        t.join(10_000);
      }
      assertThat(errors).as("read errors").isEmpty();
      assertThat(reads.get()).isPositive();
    } finally {
      if (killed != null) {
        cluster.startNode(killed);
      }
      cluster.awaitHealthy(HEAL);
    }
  }

  @Test
  void aReplicaLaggingFiveSecondsServesNoStaleReadUnderReadYourWrites(PostgresCluster cluster) throws Exception {
    try (Holdfast db = holdfast(cluster, ReadYourWrites.THREAD, ResiliencePolicy.defaults());
        ReplayPause pause = cluster.lag(cluster.replicas().get(0), Duration.ofSeconds(5))) {
      Repository<Row, Long> rows = db.repository(ROWS);
      long stale = 0;
      long reads = 0;
      long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < end) {
        long id = IDS.incrementAndGet();
        rows.insert(new Row(id, "mine"));
        reads++;
        if (rows.findById(id).isEmpty()) {
          stale++;
        }
      }
      assertThat(reads).isGreaterThan(10);
      assertThat(stale).as("reads of one's own write that missed it").isZero();
    }
  }

  @Test
  void withEtcdStoppedReadsAreStillServedAndWritesFailTyped(PostgresCluster cluster) throws Exception {
    ResiliencePolicy short_ = ResiliencePolicy.builder().deadline(Duration.ofSeconds(3)).build();
    try (Holdfast db = holdfast(cluster, ReadYourWrites.OFF, short_)) {
      Repository<Row, Long> rows = db.repository(ROWS);
      long id = IDS.incrementAndGet();
      rows.insert(new Row(id, "before"));
      cluster.stopEtcd();
      // Patroni demotes the leader once it cannot renew its lock (about 5 s here): no node takes writes.
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end && cluster.leader().isPresent()) {
        Thread.sleep(200);
      }
      Thread.sleep(1_000);
      assertThatThrownBy(() -> rows.insert(new Row(IDS.incrementAndGet(), "during")))
          .isInstanceOf(TransientException.class);
      assertThat(rows.findById(id)).map(Row::note).contains("before");
    } finally {
      cluster.startEtcd();
      cluster.awaitWritable(Duration.ofSeconds(60));
      cluster.awaitHealthy(HEAL);
    }
  }
}
