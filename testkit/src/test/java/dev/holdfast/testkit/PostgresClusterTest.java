package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testkit.PostgresCluster.Node;
import dev.holdfast.testkit.PostgresCluster.Standby;
import dev.holdfast.testkit.internal.cluster.Processes;
import dev.holdfast.testkit.internal.cluster.RunAs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster fixture against itself: real Patroni, etcd, HAProxy and PostgreSQL 15 processes, one cluster for
 * the class. Each test starts from a whole cluster and leaves it whole. The durations printed (in the test's
 * output file) are measurements for the report, never assertions; the waits are only bounds.
 */
@ExtendWith(PostgresClusterExtension.class)
class PostgresClusterTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final AtomicLong IDS = new AtomicLong();

  @BeforeAll
  static void schema(PostgresCluster cluster) {
    cluster.execute(cluster.leader().orElseThrow(), "CREATE TABLE items (id bigint PRIMARY KEY, note text)");
  }

  @BeforeEach
  void whole(PostgresCluster cluster) {
    cluster.awaitHealthy(BOUND);
  }

  @Test
  void startsWithALeaderAndTwoStreamingReplicasOneOfThemSynchronous(PostgresCluster cluster) throws Exception {
    Node leader = cluster.leader().orElseThrow();
    List<Node> replicas = cluster.replicas();
    assertThat(replicas).hasSize(2).doesNotContain(leader);
    List<Standby> standbys = cluster.standbys();
    assertThat(standbys).extracting(Standby::node).containsExactlyInAnyOrderElementsOf(replicas);
    assertThat(standbys).extracting(Standby::state).containsOnly("streaming");
    assertThat(standbys).filteredOn(Standby::synchronous).hasSize(1);
    Node sync = standbys.stream().filter(Standby::synchronous).findFirst().orElseThrow().node();
    assertThat(cluster.synchronousStandby()).contains(sync);
    assertThat(cluster.queryValue(leader, "SHOW synchronous_standby_names")).contains(sync.name());
    assertThat(cluster.queryValue(leader, "SHOW synchronous_commit")).isEqualTo("on");
    assertThat(cluster.queryValue(leader, "SELECT pg_is_in_recovery()")).isEqualTo("f");
    for (Node r : replicas) {
      assertThat(cluster.queryValue(r, "SELECT pg_is_in_recovery()")).isEqualTo("t");
    }
    assertThat(serverPort(cluster.writeJdbcUrl())).isEqualTo(leader.port());
    assertThat(portsReachedThroughTheReadPort(cluster, 6)).isEqualTo(ports(replicas));
    assertThat(serverPort(cluster.multiHostJdbcUrl() + "&targetServerType=primary")).isEqualTo(leader.port());
    assertThat(psqlServerPort(cluster.multiHostUri() + "?target_session_attrs=read-write"))
        .isEqualTo(leader.port());
    if (RunAs.isRoot()) {
      assertThat(processOwners(cluster)).as("under root, the cluster runs as uid 65534").containsOnly("nobody");
    }
  }

  @Test
  void aWriteOnTheWritePortIsVisibleOnEveryReplica(PostgresCluster cluster) throws Exception {
    long id = insertThroughTheWritePort(cluster, "replicated");
    for (Node r : cluster.replicas()) {
      awaitTrue(() -> "replicated".equals(cluster.queryValue(r, "SELECT note FROM items WHERE id = " + id)),
          "row " + id + " on " + r.name());
    }
    try (Connection c = cluster.readDataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT note FROM items WHERE id = " + id)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("replicated");
    }
  }

  @Test
  void switchoverMovesTheLeaderAndTheWritePortFollows(PostgresCluster cluster) throws Exception {
    Node old = cluster.leader().orElseThrow();
    Node sync = cluster.synchronousStandby().orElseThrow();

    long start = System.nanoTime();
    Node now = cluster.switchover();
    long switched = System.nanoTime();
    cluster.awaitHealthy(BOUND);
    report("switchover: new leader accepts writes on the write port after %d ms; whole again after %d ms",
        millis(start, switched), millis(start, System.nanoTime()));

    assertThat(now).isEqualTo(sync).isNotEqualTo(old);
    assertThat(cluster.leader()).contains(now);
    assertThat(serverPort(cluster.writeJdbcUrl())).isEqualTo(now.port());
    assertThat(cluster.replicas()).contains(old);
    assertThat(cluster.queryValue(old, "SELECT pg_is_in_recovery()")).isEqualTo("t");
  }

  @Test
  void killingThePrimaryFailsOverToTheSynchronousStandbyWithoutLosingAnAcknowledgedCommit(
      PostgresCluster cluster) throws Exception {
    Node sync = cluster.synchronousStandby().orElseThrow();
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicLong lastAckAt = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> writeUntilStopped(cluster, acknowledged, lastAckAt, stop), "writer");
    writer.start();
    try {
      awaitTrue(() -> acknowledged.size() >= 50, "50 commits before the kill");
      long killedAt = System.nanoTime();
      Node killed = cluster.killPrimary();
      int before = acknowledged.size();
      Node now = cluster.awaitWritable(Duration.ofSeconds(30));
      long writable = System.nanoTime();
      awaitTrue(() -> acknowledged.size() >= before + 50 && lastAckAt.get() > writable,
          "50 more commits after the failover");
      report("failover after SIGKILL of the primary: the write port commits again after %d ms",
          millis(killedAt, writable));

      assertThat(now).isNotEqualTo(killed).isEqualTo(sync);
      stop.set(true);
      writer.join(TimeUnit.SECONDS.toMillis(30));
      Set<Long> present = new HashSet<>();
      try (Connection c = cluster.connect(now); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM items")) {
        while (rs.next()) {
          present.add(rs.getLong(1));
        }
      }
      assertThat(present).as("every commit acknowledged to the writer").containsAll(acknowledged);
      long start = System.nanoTime();
      cluster.awaitHealthy(BOUND);
      report("failover: the killed primary is back as a replica %d ms after the new leader took writes",
          millis(start, System.nanoTime()));
      assertThat(cluster.replicas()).contains(killed);
    } finally {
      stop.set(true);
      writer.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void aKilledReplicaLeavesTheReadPortUntilItIsStartedAgain(PostgresCluster cluster) throws Exception {
    Node killed = cluster.killReplica(0);
    try {
      Node other = cluster.replicas().stream().filter(n -> !n.equals(killed)).findFirst().orElseThrow();
      assertThat(cluster.replicas()).containsExactly(other);
      awaitTrue(() -> portsReachedThroughTheReadPort(cluster, 4).equals(Set.of(other.port())),
          "reads only on " + other.name());
      assertThatThrownBy(() -> cluster.awaitHealthy(Duration.ofSeconds(1)))
          .hasMessageContaining(killed.name()).hasMessageContaining("startNode");
      // Whether it was the synchronous standby or not, commits go on (Patroni names the other one).
      cluster.awaitWritable(Duration.ofSeconds(30));
      insertThroughTheWritePort(cluster, "one replica down");
    } finally {
      cluster.startNode(killed);
    }
    long start = System.nanoTime();
    cluster.awaitHealthy(BOUND);
    report("a killed replica is streaming and on the read port again %d ms after startNode",
        millis(start, System.nanoTime()));
    assertThat(portsReachedThroughTheReadPort(cluster, 6)).contains(killed.port());
  }

  @Test
  void lagHoldsBackAReplicasReplayUntilItEndsOrIsClosed(PostgresCluster cluster) throws Exception {
    // After the failover tests Patroni may still be restarting a rejoined node, which would forget a pause.
    cluster.awaitHealthy(BOUND);
    Node replica = cluster.replicas().get(0);
    String started = cluster.queryValue(replica, "SELECT pg_postmaster_start_time()");
    ReplayPause timed = cluster.lag(replica, Duration.ofSeconds(2));
    long id = insertThroughTheWritePort(cluster, "held back");
    assertThat(cluster.queryValue(replica, "SELECT count(*) FROM items WHERE id = " + id)).isEqualTo("0");
    assertThat(cluster.replayLagBytes(replica)).isPositive();
    // Patroni resumes a paused replay on its own (PostgreSQL 14+); the apply delay is what holds.
    assertThat(cluster.queryValue(replica, "SHOW recovery_min_apply_delay")).isEqualTo("1d");
    awaitTrue(timed::isResumed, "the pause to end by itself");
    awaitTrue(() -> cluster.replayLagBytes(replica) == 0, "the replica to catch up");
    assertThat(cluster.queryValue(replica, "SELECT note FROM items WHERE id = " + id)).isEqualTo("held back");

    try (ReplayPause longOne = cluster.lag(replica, Duration.ofHours(1))) {
      long second = insertThroughTheWritePort(cluster, "held until closed");
      assertThat(cluster.queryValue(replica, "SELECT count(*) FROM items WHERE id = " + second))
          .as("replay paused (the replica's server started at %s, now %s)", started,
              cluster.queryValue(replica, "SELECT pg_postmaster_start_time()")).isEqualTo("0");
      assertThat(longOne.isResumed()).isFalse();
      // Patroni runs its HA loop every second and resets recovery settings it does not own: three loops later
      // the hold is still there.
      Thread.sleep(3_000);
      assertThat(cluster.queryValue(replica, "SELECT count(*) FROM items WHERE id = " + second))
          .as("still held after three of Patroni's HA loops").isEqualTo("0");
    }
    awaitTrue(() -> cluster.replayLagBytes(replica) == 0, "the replica to catch up after close()");
    assertThat(cluster.replayLsn(replica)).isEqualTo(cluster.standbys().stream()
        .filter(s -> s.node().equals(replica)).findFirst().orElseThrow().replayLsn());
    assertThatThrownBy(() -> cluster.lag(cluster.leader().orElseThrow(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a replica");
  }

  @Test
  void withEtcdDownTheLeaderDemotesItselfAndOnlyReadsAreServedUntilEtcdIsBack(PostgresCluster cluster)
      throws Exception {
    Node leader = cluster.leader().orElseThrow();
    long stoppedAt = System.nanoTime();
    cluster.stopEtcd();
    try {
      awaitTrue(() -> cluster.leader().isEmpty(), "the leader to demote itself");
      report("etcd stopped, failsafe_mode off: the leader demoted itself after %d ms",
          millis(stoppedAt, System.nanoTime()));
      awaitTrue(() -> cluster.nodes().stream().allMatch(n -> inRecovery(cluster, n)), "every node read-only");
      assertThatThrownBy(() -> insertThroughTheWritePort(cluster, "no leader")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> cluster.execute(leader, "INSERT INTO items VALUES (-1, 'demoted')"))
          .hasMessageContaining("read-only");
      awaitTrue(() -> portsReachedThroughTheReadPort(cluster, 6).equals(ports(cluster.nodes())),
          "reads on all three nodes");
    } finally {
      cluster.startEtcd();
    }
    long startedAt = System.nanoTime();
    Node now = cluster.awaitWritable(BOUND);
    report("etcd started again: the write port commits on %s after %d ms", now.name(),
        millis(startedAt, System.nanoTime()));
    cluster.awaitHealthy(BOUND);
  }

  @Test
  void withFailsafeModeTheLeaderKeepsCommittingWhileEtcdIsDown(PostgresCluster cluster) throws Exception {
    cluster.setFailsafeMode(true);
    try {
      Node leader = cluster.leader().orElseThrow();
      var log = cluster.patronis().get(leader.index()).log();
      cluster.stopEtcd();
      try {
        // Without failsafe_mode the leader demotes itself within seconds (the test above); here Patroni keeps it
        // primary, as its log says, and commits go on through the write port meanwhile.
        awaitTrue(() -> {
          try {
            insertThroughTheWritePort(cluster, "failsafe");
          } catch (SQLException e) {
            throw new AssertionError("a write failed while etcd was down: " + e.getMessage(), e);
          }
          return count(log, "continue to run as a leader because failsafe mode is enabled") >= 3;
        }, "Patroni to keep the leader on three loops without etcd");
        assertThat(cluster.leader()).contains(leader);
      } finally {
        cluster.startEtcd();
      }
      cluster.awaitHealthy(BOUND);
    } finally {
      cluster.setFailsafeMode(false);
    }
  }

  // ---- helpers ----

  private static void writeUntilStopped(PostgresCluster cluster, Set<Long> acknowledged, AtomicLong lastAckAt,
      AtomicBoolean stop) {
    while (!stop.get()) {
      try (Connection c = DriverManager.getConnection(cluster.writeJdbcUrl() + "&loginTimeout=2&socketTimeout=10");
          PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, 'acknowledged')")) {
        while (!stop.get()) {
          long id = IDS.incrementAndGet() + 1_000_000;
          insert.setLong(1, id);
          insert.executeUpdate();
          acknowledged.add(id);
          lastAckAt.set(System.nanoTime());
        }
      } catch (SQLException e) {
        // The primary went away mid-statement; that id's outcome is unknown and it is not counted.
        PostgresCluster.pause(Duration.ofMillis(20));
      }
    }
  }

  private static long insertThroughTheWritePort(PostgresCluster cluster, String note) throws SQLException {
    long id = IDS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(cluster.writeJdbcUrl() + "&loginTimeout=2&socketTimeout=10");
        PreparedStatement s = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
      s.setLong(1, id);
      s.setString(2, note);
      s.executeUpdate();
    }
    return id;
  }

  private static boolean inRecovery(PostgresCluster cluster, Node node) {
    try {
      return "t".equals(cluster.queryValue(node, "SELECT pg_is_in_recovery()"));
    } catch (IllegalStateException restarting) {
      // Patroni demotes by restarting PostgreSQL read-only: "the database system is starting up" meanwhile.
      return false;
    }
  }

  private static int serverPort(String jdbcUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Set<Integer> portsReachedThroughTheReadPort(PostgresCluster cluster, int connections) {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < connections; i++) {
      try {
        ports.add(serverPort(cluster.readJdbcUrl() + "&loginTimeout=2"));
      } catch (SQLException e) {
        ports.add(-1);
      }
    }
    return ports;
  }

  private static Set<Integer> ports(List<Node> nodes) {
    Set<Integer> ports = new HashSet<>();
    nodes.forEach(n -> ports.add(n.port()));
    return ports;
  }

  /** Connects with libpq (psql), which reads the URI as users' libpq-based tools would. */
  private static int psqlServerPort(String uri) throws IOException, InterruptedException {
    Process psql = new ProcessBuilder("psql", uri, "-Atc", "SELECT inet_server_port()").redirectErrorStream(true)
        .start();
    String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(psql.exitValue()).as(out).isZero();
    return Integer.parseInt(out);
  }

  private static long count(java.nio.file.Path log, String text) {
    try {
      return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("Waited " + BOUND + " for " + what);
      }
      PostgresCluster.pause(Duration.ofMillis(100));
    }
  }

  private static long millis(long from, long to) {
    return TimeUnit.NANOSECONDS.toMillis(to - from);
  }

  private static void report(String format, Object... args) {
    System.out.println("PostgresCluster timing: " + String.format(format, args));
  }

  private static Set<String> processOwners(PostgresCluster cluster) {
    Set<String> owners = new HashSet<>();
    for (ProcessHandle p : Processes.mentioning(cluster.directory() + "/")) {
      owners.add(p.info().user().orElse("?"));
    }
    assertThat(owners).as("the cluster's processes").isNotEmpty();
    return owners;
  }
}
