package dev.holdfast.testkit.internal.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The configuration of the cluster's programs, as the text of their files and command lines. */
public final class ClusterFiles {
  /** The scope (cluster name) in Patroni, etcd's key prefix and PostgreSQL's cluster_name. */
  public static final String SCOPE = "holdfast";

  private ClusterFiles() {}

  /** A node as the configuration files see it. */
  public record NodeSpec(String name, int port, int restPort, Path dir) {
    /** The node's PostgreSQL data directory. */
    public Path dataDir() {
      return dir.resolve("data");
    }
  }

  /** etcd on 127.0.0.1 only, one member, its data in {@code dataDir}. */
  public static List<String> etcdCommand(Path etcd, Path dataDir, int clientPort, int peerPort) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of(etcd.toString(), "--name", "etcd0", "--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "etcd0=" + peer, "--logger", "zap");
  }

  /**
   * One node's {@code patroni.yml}. The {@code bootstrap.dcs} part becomes the cluster's dynamic configuration
   * in etcd when the first node initializes it; the timing values are chosen for tests that must finish fast:
   * <ul>
   *   <li>{@code loop_wait: 1} — each Patroni runs its HA loop every second (default 10 s), so a crashed primary
   *       is noticed and failed over within a few seconds, and a switchover completes in about two.</li>
   *   <li>{@code retry_timeout: 3} — how long Patroni retries etcd and PostgreSQL before acting on a failure
   *       (default 10 s). With etcd down, the leader demotes itself once this runs out, so the etcd tests see
   *       the outcome in seconds; 3 s still rides out a scheduling hiccup of a busy 2-core machine.</li>
   *   <li>{@code ttl: 10} — the leader lease (default 30 s). Patroni needs {@code loop_wait + 2 * retry_timeout
   *       <= ttl} (1 + 6 = 7). The lease only matters when a leader's Patroni stops renewing it without
   *       handing over, which no operation of the fixture does while etcd is up; 10 s leaves a leader whose
   *       renewal is late by several seconds on a starved machine its role, so no spurious failover.</li>
   *   <li>{@code primary_start_timeout: 0} — a crashed primary is failed over at once instead of being
   *       restarted in place (Patroni's default tries to restart it for 300 s), which is what a SIGKILL of the
   *       postmaster is meant to exercise. Safe here because of the next setting.</li>
   *   <li>{@code synchronous_mode: true} — Patroni names one replica the synchronous standby; a commit is
   *       acknowledged only once it is flushed there, and Patroni only promotes that standby, so a failover
   *       loses no acknowledged commit. Not {@code strict}: with no replica left the primary goes on alone.</li>
   *   <li>{@code failsafe_mode} — off by default, as in Patroni: with etcd unreachable the leader demotes itself
   *       and the cluster is read-only until etcd returns. On, the leader stays primary while it can reach every
   *       member's REST API.</li>
   * </ul>
   */
  public static String patroniYaml(NodeSpec node, int etcdPort, Path binDir, boolean failsafeMode) {
    return patroniYaml(node, etcdPort, binDir, failsafeMode, null);
  }

  /**
   * The same, with {@code recovery_min_apply_delay} set to {@code applyDelay} (such as {@code 1d}) when it is not
   * null. It goes in Patroni's {@code postgresql.recovery_conf}, the only place Patroni leaves it alone: Patroni
   * compares the running value with this one in every HA loop and resets any other (ALTER SYSTEM included).
   */
  public static String patroniYaml(NodeSpec node, int etcdPort, Path binDir, boolean failsafeMode,
      String applyDelay) {
    String data = node.dataDir().toString();
    String recovery = applyDelay == null ? "" : "  recovery_conf:\n    recovery_min_apply_delay: " + applyDelay;
    return String.join("\n",
        "scope: " + SCOPE,
        "namespace: /service/",
        "name: " + node.name(),
        "log:",
        "  level: INFO",
        "restapi:",
        "  listen: 127.0.0.1:" + node.restPort(),
        "  connect_address: 127.0.0.1:" + node.restPort(),
        "etcd3:",
        "  hosts: 127.0.0.1:" + etcdPort,
        "watchdog:",
        "  mode: off",
        "bootstrap:",
        "  dcs:",
        "    ttl: 10",
        "    loop_wait: 1",
        "    retry_timeout: 3",
        "    primary_start_timeout: 0",
        "    synchronous_mode: true",
        "    synchronous_node_count: 1",
        "    failsafe_mode: " + failsafeMode,
        "    postgresql:",
        "      use_pg_rewind: true",
        // A node whose history cannot be rewound is rebuilt from the leader, so every node always rejoins.
        "      remove_data_directory_on_rewind_failure: true",
        "      remove_data_directory_on_diverged_timelines: true",
        "      use_slots: true",
        "      parameters:",
        // Room for a connection pool per test thread through each port, on every node.
        "        max_connections: 200",
        "        wal_keep_size: 128MB",
        // A replica whose primary went away retries streaming after this (default 5 s): replicas follow a new
        // leader within a second or so of a switchover or failover.
        "        wal_retrieve_retry_interval: 500ms",
        "  initdb:",
        "  - encoding: UTF8",
        "  - locale: C",
        "  - auth: trust",
        "  pg_hba:",
        "  - host all all 127.0.0.1/32 trust",
        "  - host replication all 127.0.0.1/32 trust",
        "postgresql:",
        "  listen: 127.0.0.1:" + node.port(),
        "  connect_address: 127.0.0.1:" + node.port(),
        "  data_dir: " + data,
        "  bin_dir: " + binDir,
        "  pgpass: " + node.dir().resolve("pgpass"),
        recovery,
        // A fast checkpoint at the start of pg_basebackup: a new replica is ready in seconds, not minutes.
        "  basebackup:",
        "  - checkpoint: fast",
        "  authentication:",
        "    superuser:",
        "      username: postgres",
        "    replication:",
        "      username: replicator",
        "    rewind:",
        "      username: postgres",
        "  parameters:",
        // No Unix socket: Debian's default directory is not writable by the unprivileged user; TCP only.
        "    unix_socket_directories: ''",
        "    shared_buffers: 32MB",
        "");
  }

  /**
   * HAProxy in TCP mode: the write port goes to the node whose Patroni answers {@code /primary} with 200, the
   * read port round-robin to those answering {@code /replica} with 200 (Patroni's own health checks). Checks run
   * every 250 ms (each costs Patroni one small query) and two failures mark a server down, one success brings it
   * back, so the write port reaches a new leader within about a quarter of a second of Patroni calling it the
   * leader; a server marked down has its connections cut, as in Patroni's sample configuration, so clients notice
   * at once. A statistics page on {@code statsPort} shows what HAProxy thinks.
   */
  public static String haproxyConfig(List<NodeSpec> nodes, int writePort, int readPort, int statsPort) {
    List<String> lines = new ArrayList<>(List.of(
        // No log target: HAProxy in the foreground writes server state changes to stderr, into haproxy.log, and
        // nothing per connection.
        "global",
        "  maxconn 1000",
        "defaults",
        "  mode tcp",
        // Before each retry of a refused connection HAProxy waits the connect timeout (at most 1 s), and a client
        // connecting while no server is up waits as long in the queue. Connecting on loopback is immediate, so a
        // short one: a connection that reaches a node being shut down fails within half a second, not 2 s.
        "  retries 2",
        "  timeout connect 250ms",
        // Long idle timeouts: pooled connections stay open as they would without HAProxy.
        "  timeout client 30m",
        "  timeout server 30m",
        "  timeout check 1s",
        "listen stats",
        "  mode http",
        "  bind 127.0.0.1:" + statsPort,
        "  stats enable",
        "  stats uri /stats"));
    lines.addAll(backend("write", writePort, "/primary", nodes));
    lines.addAll(backend("read", readPort, "/replica", nodes));
    lines.add("");
    return String.join("\n", lines);
  }

  private static List<String> backend(String name, int port, String check, List<NodeSpec> nodes) {
    List<String> lines = new ArrayList<>(List.of(
        "listen " + name,
        "  bind 127.0.0.1:" + port,
        "  balance roundrobin",
        "  option httpchk OPTIONS " + check,
        "  http-check expect status 200",
        "  default-server inter 250ms fall 2 rise 1 on-marked-down shutdown-sessions"));
    for (NodeSpec n : nodes) {
      lines.add("  server " + n.name() + " 127.0.0.1:" + n.port() + " check port " + n.restPort());
    }
    return lines;
  }
}
