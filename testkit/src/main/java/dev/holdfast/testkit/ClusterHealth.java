package dev.holdfast.testkit;

import dev.holdfast.testkit.PostgresCluster.Node;
import dev.holdfast.testkit.PostgresCluster.Standby;
import dev.holdfast.testkit.internal.cluster.Daemon;
import dev.holdfast.testkit.internal.cluster.HaproxyStats;
import dev.holdfast.testkit.internal.cluster.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a {@link PostgresCluster} is whole (one leader, two streaming replicas, one of them synchronous,
 * HAProxy routing accordingly), and, when it is not, what is wrong and whose log tells why.
 */
final class ClusterHealth {
  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final int LOG_LINES = 25;

  private final PostgresCluster cluster;

  ClusterHealth(PostgresCluster cluster) {
    this.cluster = cluster;
  }

  /** What is wrong, and which components' logs to show; {@code problem} is null when healthy. */
  private record Verdict(String problem, List<Daemon> suspects, boolean fatal) {
    static final Verdict HEALTHY = new Verdict(null, List.of(), false);
  }

  /** Patroni's answer to {@code OPTIONS path} on the node's REST port, or -1 when it does not answer. */
  int restStatus(Node node, String path) {
    try {
      return Http.call(node.restPort(), "OPTIONS", path, null, PROBE).status();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Waits until healthy.
   *
   * @param goal what the caller waited for, for the message ("start", "become healthy")
   * @throws IllegalStateException when the deadline passes, or at once when it cannot become healthy
   */
  void await(long deadline, String goal) {
    while (true) {
      Verdict v = verdict();
      if (v.problem() == null) {
        return;
      }
      if (v.fatal() || System.nanoTime() > deadline) {
        throw new IllegalStateException("The cluster did not " + goal + ": " + v.problem() + "\n"
            + diagnostics(v.suspects()));
      }
      PostgresCluster.pause(Duration.ofMillis(100));
    }
  }

  private Verdict verdict() {
    for (Node n : cluster.killedNodes()) {
      return new Verdict(n.name() + " was killed by killReplica and not started again (startNode)", List.of(),
          true);
    }
    if (cluster.etcdStopped()) {
      return new Verdict("etcd was stopped by stopEtcd and not started again (startEtcd)", List.of(), true);
    }
    List<Daemon> all = new ArrayList<>(cluster.patronis());
    all.add(cluster.etcd());
    all.add(cluster.haproxy());
    for (Daemon d : all) {
      if (!d.isAlive()) {
        String how = d.exitCode() >= 0 ? "exited with " + d.exitCode() : "is not running";
        return new Verdict(d.name() + " " + how, List.of(d), true);
      }
    }
    List<Node> leaders = new ArrayList<>();
    List<Node> replicas = new ArrayList<>();
    for (Node n : cluster.nodes()) {
      if (restStatus(n, "/primary") == 200) {
        leaders.add(n);
      } else if (restStatus(n, "/replica") == 200) {
        replicas.add(n);
      }
    }
    if (leaders.size() != 1) {
      return new Verdict(leaders.isEmpty() ? "no node is the leader" : "several leaders: " + names(leaders),
          cluster.patronis(), false);
    }
    Node leader = leaders.get(0);
    if (replicas.size() != 2) {
      List<Daemon> others = cluster.nodes().stream().filter(n -> !leaders.contains(n) && !replicas.contains(n))
          .map(n -> cluster.patronis().get(n.index())).toList();
      return new Verdict("not a running replica: " + others, others, false);
    }
    List<Standby> standbys;
    try {
      standbys = cluster.standbys();
    } catch (IllegalStateException e) {
      return new Verdict(e.getMessage(), List.of(cluster.patronis().get(leader.index())), false);
    }
    Set<String> streaming = new TreeSet<>();
    boolean synchronous = false;
    for (Standby s : standbys) {
      if ("streaming".equals(s.state())) {
        streaming.add(s.node().name());
        synchronous |= s.synchronous();
      }
    }
    if (!streaming.equals(names(replicas))) {
      return new Verdict("the leader " + leader.name() + " has these streaming replicas: " + streaming,
          cluster.patronis(), false);
    }
    if (!synchronous) {
      return new Verdict("no replica is the synchronous standby yet", List.of(cluster.patronis().get(
          leader.index())), false);
    }
    // PostgreSQL treats a standby as synchronous a moment before Patroni records it in etcd, and only then does
    // Patroni agree to a switchover or fail over to it.
    if (cluster.patroniSyncStandby(leader).isEmpty()) {
      return new Verdict("Patroni has not recorded a synchronous standby yet", List.of(cluster.patronis().get(
          leader.index())), false);
    }
    try {
      HaproxyStats stats = HaproxyStats.read(cluster.statsPort(), PROBE);
      if (!stats.routedServers("write").equals(Set.of(leader.name()))
          || !stats.routedServers("read").equals(names(replicas))) {
        return new Verdict("HAProxy does not route yet as Patroni says (leader " + leader.name() + "): " + stats,
            List.of(cluster.haproxy()), false);
      }
    } catch (IOException e) {
      return new Verdict("HAProxy's statistics did not answer: " + e.getMessage(), List.of(cluster.haproxy()),
          false);
    }
    return Verdict.HEALTHY;
  }

  private static Set<String> names(List<Node> nodes) {
    Set<String> names = new TreeSet<>();
    nodes.forEach(n -> names.add(n.name()));
    return names;
  }

  /** Each node's role as its Patroni reports it, and the end of each suspect's log. */
  String diagnostics(List<Daemon> suspects) {
    StringBuilder out = new StringBuilder("Patroni says:");
    for (Node n : cluster.nodes()) {
      int primary = restStatus(n, "/primary");
      int replica = restStatus(n, "/replica");
      out.append(' ').append(n.name()).append(primary == 200 ? "=leader" : replica == 200 ? "=replica"
          : primary < 0 ? "=unreachable" : "=neither");
    }
    out.append("; etcd ").append(cluster.etcd().isAlive() ? "running" : "stopped").append('\n');
    for (Daemon d : suspects) {
      out.append("--- the end of ").append(d.name()).append("'s log (").append(d.log().getFileName()).append(") ---\n")
          .append(d.logTail(LOG_LINES)).append('\n');
    }
    return out.toString();
  }
}
