package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.cluster.ClusterFiles;
import dev.holdfast.testkit.internal.cluster.ClusterFiles.NodeSpec;
import dev.holdfast.testkit.internal.cluster.ClusterProcesses;
import dev.holdfast.testkit.internal.cluster.Daemon;
import dev.holdfast.testkit.internal.cluster.PatroniApi;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real highly available PostgreSQL cluster on this machine, for tests of what failover, switchover and read
 * replicas do to an application: Patroni (Debian's {@code patroni}) managing one primary and two streaming
 * replicas of PostgreSQL 15 ({@code /usr/lib/postgresql/15/bin}) with synchronous replication, etcd
 * ({@code etcd-server}) as Patroni's store, and HAProxy ({@code haproxy}) with a write port routed to the leader
 * and a read port routed round-robin to the replicas through Patroni's REST health checks ({@code /primary},
 * {@code /replica}). Everything listens on free 127.0.0.1 ports with trust authentication (user and database
 * {@code postgres}), keeps its files in one temporary directory, and runs as the current user — or, when the
 * tests run as root, as the unprivileged uid 65534, since PostgreSQL refuses root. {@link #close()} stops every
 * process (also those Patroni detached) and deletes the directory; a JVM shutdown hook does the same for a
 * cluster nobody closed.
 *
 * <p>Starting takes about ten seconds and is bounded ({@link Builder#startupTimeout}); when the cluster cannot
 * start, the exception says which component failed and holds the end of its log. Patroni's timing is tuned for
 * tests — {@code loop_wait} 1 s, {@code retry_timeout} 3 s, {@code ttl} 10 s, {@code primary_start_timeout} 0,
 * {@code synchronous_mode} on (not strict), {@code failsafe_mode} off; the reasons are in
 * {@link ClusterFiles#patroniYaml} — so a switchover or a failover takes two to four seconds. Right after one,
 * for the few seconds until Patroni has named a new synchronous standby, commits are not synchronous (Patroni's
 * non-strict mode); {@link #awaitHealthy} waits until one is named again. In JUnit 5,
 * {@link PostgresClusterExtension} starts one cluster per test class.
 *
 * <p>Thread-safe. Operations that change the cluster ({@code switchover}, {@code kill*}, {@code startNode},
 * {@code stopEtcd}/{@code startEtcd}, {@code lag}, {@code setFailsafeMode}) run one at a time; queries of its
 * state and SQL may run from any thread, also during an operation (they then see the cluster mid-change).
 *
 * <pre>{@code
 * try (PostgresCluster cluster = PostgresCluster.start()) {
 *   cluster.execute(cluster.leader().orElseThrow(), "CREATE TABLE t (id int PRIMARY KEY)");
 *   DataSource writes = cluster.writeDataSource();            // HAProxy's write port: follows the leader
 *   PostgresCluster.Node old = cluster.killPrimary();          // SIGKILL; Patroni fails over
 *   PostgresCluster.Node now = cluster.awaitWritable(Duration.ofSeconds(30));
 *   cluster.awaitHealthy(Duration.ofSeconds(60));              // the old primary is back, as a replica
 *   try (ReplayPause pause = cluster.lag(cluster.replicas().get(0), Duration.ofSeconds(5))) {
 *     // that replica replays no WAL for 5 s (or until close())
 *   }
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {
  /** The database and user every URL and DataSource uses. */
  public static final String DATABASE = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
  private static final Duration ETCD_START = Duration.ofSeconds(20);
  private static final Duration OPERATION = Duration.ofSeconds(30);

  /**
   * One PostgreSQL server of the cluster (with its Patroni), on 127.0.0.1. Nodes keep their names and ports for
   * the cluster's life; which one is the leader changes.
   *
   * @param name Patroni's member name, also the replica's {@code application_name}: {@code node0}..{@code node2}
   * @param index its position in {@link #nodes()}
   * @param port PostgreSQL's port
   * @param restPort Patroni's REST API port
   */
  public record Node(String name, int index, int port, int restPort) {
    /** Always {@code 127.0.0.1}. */
    public String host() {
      return "127.0.0.1";
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostAndPort() {
      return host() + ":" + port;
    }

    /** A pgjdbc URL straight to this node, bypassing HAProxy. */
    public String jdbcUrl() {
      return "jdbc:postgresql://" + hostAndPort() + "/" + DATABASE + "?user=" + DATABASE;
    }
  }

  /**
   * A replica as the leader sees it in {@code pg_stat_replication}.
   *
   * @param state such as {@code streaming} or {@code catchup}
   * @param synchronous whether it is the synchronous standby ({@code sync_state = 'sync'})
   * @param replayLsn the WAL position it has replayed, as PostgreSQL writes it ({@code 0/3000148})
   */
  public record Standby(Node node, String state, boolean synchronous, String replayLsn) {}

  private final ClusterProcesses processes;
  private final List<Node> nodes;
  private final ClusterHealth health;
  private final Object operations = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean etcdStopped = new AtomicBoolean();
  private final Set<Node> killed = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private ScheduledExecutorService timer;

  private PostgresCluster(ClusterProcesses processes) {
    this.processes = processes;
    List<Node> n = new ArrayList<>();
    for (NodeSpec s : processes.specs()) {
      n.add(new Node(s.name(), n.size(), s.port(), s.restPort()));
    }
    nodes = List.copyOf(n);
    health = new ClusterHealth(this);
    shutdownHook = new Thread(this::close, "holdfast-cluster-close");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A builder for a cluster with other than the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a cluster with the default settings and waits until it is healthy (see {@link #awaitHealthy}).
   *
   * @throws org.opentest4j.TestAbortedException if the packages are missing (see {@link #assumeInstalled()})
   * @throws IllegalStateException if it does not become healthy within 90 s; the message names the failing
   *     component and holds the end of its log
   */
  public static PostgresCluster start() {
    return builder().start();
  }

  /** How a cluster is started. Not thread-safe; {@link #start()} copies what it needs. */
  public static final class Builder {
    private Duration startupTimeout = Duration.ofSeconds(90);
    private boolean failsafeMode;

    private Builder() {}

    /**
     * How long {@link #start()} waits for a healthy cluster; 90 s by default (it takes about 10 s on an idle
     * 2-core machine).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder startupTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Patroni's {@code failsafe_mode} from the start (off by default, as in Patroni); see
     * {@link PostgresCluster#setFailsafeMode(boolean)}.
     */
    public Builder failsafeMode(boolean enabled) {
      this.failsafeMode = enabled;
      return this;
    }

    /**
     * Starts the cluster and waits until it is healthy.
     *
     * @throws org.opentest4j.TestAbortedException if the packages are missing (see {@link #assumeInstalled()})
     * @throws IllegalStateException if it does not become healthy within the startup timeout
     */
    public PostgresCluster start() {
      return PostgresCluster.start(this);
    }
  }

  /**
   * Skips the calling test (a JUnit assumption) when what the cluster needs is not installed, saying what to
   * install; fails instead when the environment variable {@code CI} is {@code true}, because in CI nothing may
   * be skipped. The programs are looked up at Debian's paths, or where the system properties
   * {@code holdfast.patroni}, {@code holdfast.etcd}, {@code holdfast.haproxy} and {@code holdfast.postgresql.bin}
   * (PostgreSQL's bin directory) point.
   */
  public static void assumeInstalled() {
    List<String> missing = ClusterProcesses.missing();
    if (missing.isEmpty()) {
      return;
    }
    String message = "A Patroni cluster needs Debian's packages patroni, etcd-server, haproxy and postgresql-15;"
        + " missing: " + String.join(", ", missing) + " (install them with 'apt-get install patroni etcd-server"
        + " haproxy postgresql-15', or point -Dholdfast.patroni, -Dholdfast.etcd, -Dholdfast.haproxy or"
        + " -Dholdfast.postgresql.bin at them)";
    if ("true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail(message + "; CI=true, so this test may not be skipped");
    }
    org.junit.jupiter.api.Assumptions.abort(message + "; skipping");
  }

  private static PostgresCluster start(Builder settings) {
    assumeInstalled();
    long start = System.nanoTime();
    long deadline = start + settings.startupTimeout.toNanos();
    PostgresCluster cluster = new PostgresCluster(ClusterProcesses.create(settings.failsafeMode));
    try {
      cluster.processes.startEtcd(Math.min(deadline, System.nanoTime() + ETCD_START.toNanos()));
      cluster.processes.startHaproxyAndPatroni();
      cluster.health.await(deadline, "start");
      LOG.info("Started {} in {} ms", cluster, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  // ---- Addresses ----

  /** The three nodes, in a fixed order ({@code node0}, {@code node1}, {@code node2}). */
  public List<Node> nodes() {
    return nodes;
  }

  /**
   * The node at {@code index} in {@link #nodes()}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Node node(int index) {
    if (index < 0 || index >= nodes.size()) {
      throw new IllegalArgumentException("index must be 0.." + (nodes.size() - 1) + ": " + index);
    }
    return nodes.get(index);
  }

  /** HAProxy's write port on 127.0.0.1: connections go to the current leader. */
  public int writePort() {
    return processes.writePort();
  }

  /** HAProxy's read port on 127.0.0.1: connections go round-robin to the running replicas. */
  public int readPort() {
    return processes.readPort();
  }

  /** A plain pgjdbc URL to HAProxy's write port, such as {@code jdbc:postgresql://127.0.0.1:20001/postgres?user=postgres}. */
  public String writeJdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + writePort() + "/" + DATABASE + "?user=" + DATABASE;
  }

  /** A plain pgjdbc URL to HAProxy's read port. */
  public String readJdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + readPort() + "/" + DATABASE + "?user=" + DATABASE;
  }

  /**
   * A pgjdbc URL listing every node, without HAProxy, such as
   * {@code jdbc:postgresql://127.0.0.1:20005,127.0.0.1:20007,127.0.0.1:20009/postgres?user=postgres}; add
   * {@code &targetServerType=primary} (or {@code preferSecondary}) to choose by role.
   */
  public String multiHostJdbcUrl() {
    return "jdbc:postgresql://" + hostList() + "/" + DATABASE + "?user=" + DATABASE;
  }

  /**
   * A libpq URI listing every node, such as {@code postgresql://postgres@127.0.0.1:20005,127.0.0.1:20007,
   * 127.0.0.1:20009/postgres}; add {@code ?target_session_attrs=read-write} to choose by role.
   */
  public String multiHostUri() {
    return "postgresql://" + DATABASE + "@" + hostList() + "/" + DATABASE;
  }

  private String hostList() {
    return nodes.stream().map(Node::hostAndPort).collect(Collectors.joining(","));
  }

  /** A DataSource (no pooling) through HAProxy's write port: each connection reaches the leader of that moment. */
  public DataSource writeDataSource() {
    return dataSource(writePort(), 0);
  }

  /** A DataSource (no pooling) through HAProxy's read port. */
  public DataSource readDataSource() {
    return dataSource(readPort(), 0);
  }

  /** A DataSource (no pooling) straight to {@code node}. */
  public DataSource dataSource(Node node) {
    return dataSource(Objects.requireNonNull(node, "node").port(), 0);
  }

  /** The directory holding every node's data, configuration and logs, deleted by {@link #close()}. */
  public Path directory() {
    return processes.dir();
  }

  static PGSimpleDataSource dataSource(int port, int timeoutSeconds) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(DATABASE);
    ds.setUser(DATABASE);
    if (timeoutSeconds > 0) {
      // The fixture's own probes must never hang on a node that is down or being promoted.
      ds.setLoginTimeout(timeoutSeconds);
      ds.setConnectTimeout(timeoutSeconds);
      ds.setSocketTimeout(timeoutSeconds * 3);
      ds.setApplicationName("holdfast-cluster-fixture");
    }
    return ds;
  }

  // ---- State ----

  /**
   * The node whose Patroni answers {@code /primary} with 200 — the one HAProxy routes writes to — or empty when
   * no single node does (during a failover, or after the leader demoted itself with etcd down).
   */
  public Optional<Node> leader() {
    List<Node> leaders = nodes.stream().filter(n -> health.restStatus(n, "/primary") == 200).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  /** The nodes whose Patroni answers {@code /replica} with 200 (running replicas: HAProxy's read servers). */
  public List<Node> replicas() {
    return nodes.stream().filter(n -> health.restStatus(n, "/replica") == 200).toList();
  }

  /**
   * The leader's replicas from its {@code pg_stat_replication}, in node order.
   *
   * @throws IllegalStateException if there is no leader or it cannot be queried
   */
  public List<Standby> standbys() {
    Node leader = leader().orElseThrow(() -> new IllegalStateException("The cluster has no leader now"));
    List<Standby> standbys = new ArrayList<>();
    try (Connection c = dataSource(leader.port(), 2).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT application_name, state, sync_state, replay_lsn::text"
            + " FROM pg_stat_replication ORDER BY application_name")) {
      while (rs.next()) {
        String name = rs.getString(1);
        for (Node n : nodes) {
          if (n.name().equals(name)) {
            standbys.add(new Standby(n, rs.getString(2), "sync".equals(rs.getString(3)), rs.getString(4)));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read pg_stat_replication on " + leader.name() + ": "
          + e.getMessage(), e);
    }
    return standbys;
  }

  /**
   * The replica Patroni has recorded as the synchronous standby (role {@code sync_standby} in the leader's
   * {@code GET /cluster}), the only one it will promote; empty when none is, or the leader does not answer.
   */
  public Optional<Node> synchronousStandby() {
    return leader().flatMap(this::patroniSyncStandby);
  }

  Optional<Node> patroniSyncStandby(Node leader) {
    return PatroniApi.synchronousStandby(leader.restPort())
        .flatMap(name -> nodes.stream().filter(n -> n.name().equals(name)).findFirst());
  }

  /**
   * The WAL position {@code node} has replayed ({@code pg_last_wal_replay_lsn()}), such as {@code 0/3000148}.
   *
   * @throws IllegalStateException if the node is not a replica or cannot be queried
   */
  public String replayLsn(Node replica) {
    String lsn = queryValue(replica, "SELECT pg_last_wal_replay_lsn()::text");
    if (lsn == null) {
      throw new IllegalStateException(replica.name() + " is not a replica (it replays no WAL)");
    }
    return lsn;
  }

  /**
   * How many bytes of WAL the leader has written ({@code pg_current_wal_lsn()}) that {@code replica} has not
   * replayed yet; 0 when it has caught up.
   *
   * @throws IllegalStateException if there is no leader, the node is not a replica, or either cannot be queried
   */
  public long replayLagBytes(Node replica) {
    String replayed = replayLsn(replica);
    Node leader = leader().orElseThrow(() -> new IllegalStateException("The cluster has no leader now"));
    String written = queryValue(leader, "SELECT pg_current_wal_lsn()::text");
    return Math.max(0, lsnBytes(written) - lsnBytes(replayed));
  }

  /** A WAL position in PostgreSQL's text form ({@code 16/B374D848}) as a byte offset. */
  public static long lsnBytes(String lsn) {
    Objects.requireNonNull(lsn, "lsn");
    int slash = lsn.indexOf('/');
    if (slash < 1) {
      throw new IllegalArgumentException("Not an LSN: " + lsn);
    }
    return (Long.parseLong(lsn.substring(0, slash), 16) << 32) + Long.parseLong(lsn.substring(slash + 1), 16);
  }

  // ---- SQL ----

  /**
   * Opens a connection straight to {@code node}; the caller closes it.
   *
   * @throws SQLException if the node does not accept it
   */
  public Connection connect(Node node) throws SQLException {
    return dataSource(node).getConnection();
  }

  /**
   * Runs statements on {@code node}, each in its own transaction, on one connection.
   *
   * @throws IllegalStateException if a statement fails; the message names it and holds PostgreSQL's error
   */
  public void execute(Node node, String... sql) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sql, "sql");
    try (Connection c = connect(node); Statement s = c.createStatement()) {
      for (String one : sql) {
        try {
          s.execute(one);
        } catch (SQLException e) {
          throw new IllegalStateException("Statement failed on " + node.name() + ": " + one + ": "
              + e.getMessage(), e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not connect to " + node.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a query on {@code node} and returns the first column of its first row as text, or null when there is
   * no row or the value is NULL.
   *
   * @throws IllegalStateException if the query fails or the node cannot be reached
   */
  public String queryValue(Node node, String sql) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sql, "sql");
    try (Connection c = dataSource(node.port(), 5).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed on " + node.name() + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  // ---- Operations ----

  /**
   * Waits until the cluster is whole again: one leader, both other nodes running replicas streaming from it
   * with one of them synchronous, and HAProxy routing the write port to the leader alone and the read port to
   * both replicas.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}, or cannot (a node killed by
   *     {@link #killReplica} and not started again, etcd stopped, a process that exited); the message says what
   *     was missing and holds the end of the responsible component's log
   */
  public void awaitHealthy(Duration timeout) {
    health.await(System.nanoTime() + positive(timeout, "timeout").toNanos(), "become healthy");
  }

  /**
   * Waits until a write through HAProxy's write port commits (a transaction that takes a transaction id, so it
   * fails on a replica and waits for the synchronous standby), and returns the node it ran on.
   *
   * @throws IllegalStateException if none commits within {@code timeout}; the message holds the last error
   */
  public Node awaitWritable(Duration timeout) {
    return awaitWritable(positive(timeout, "timeout"), n -> true, "any node");
  }

  private Node awaitWritable(Duration timeout, Predicate<Node> wanted, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "none yet";
    while (true) {
      try (Connection c = dataSource(writePort(), 2).getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT inet_server_port(), txid_current()")) {
        rs.next();
        int port = rs.getInt(1);
        Node node = nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        if (wanted.test(node)) {
          return node;
        }
        last = "the write port still reaches " + node.name();
      } catch (SQLException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("No write on the write port committed on " + what + " within " + timeout
            + "; the last attempt: " + last + "\n" + health.diagnostics(patronis()));
      }
      pause(Duration.ofMillis(50));
    }
  }

  /**
   * A planned switchover through Patroni's REST API ({@code POST /switchover}, like
   * {@code patronictl switchover}): the leader hands over to the synchronous standby. Returns the new leader once
   * a write through the write port commits on it; the old leader rejoins as a replica shortly after (see
   * {@link #awaitHealthy}).
   *
   * @throws IllegalStateException if there is no leader, Patroni refuses, or the write port does not reach the
   *     new leader within 30 s
   */
  public Node switchover() {
    synchronized (operations) {
      Node old = leader().orElseThrow(() -> new IllegalStateException("No leader to switch over from\n"
          + health.diagnostics(patronis())));
      PatroniApi.switchover(old.restPort(), old.name(), System.nanoTime() + OPERATION.toNanos(),
          () -> patronis().get(old.index()).logTail(30));
      return awaitWritable(OPERATION, n -> !n.equals(old), "a node other than " + old.name());
    }
  }

  /**
   * SIGKILLs the leader's postmaster, as a crash would. Its Patroni sees PostgreSQL gone, releases the leader
   * key and the synchronous standby is promoted (Patroni does not restart a crashed primary in place here); the
   * old leader then rejoins as a replica (rewound if needed). Returns the node killed without waiting: use
   * {@link #awaitWritable} for the new leader.
   *
   * @throws IllegalStateException if there is no leader or its postmaster is not running
   */
  public Node killPrimary() {
    synchronized (operations) {
      Node leader = leader().orElseThrow(() -> new IllegalStateException("No leader to kill\n"
          + health.diagnostics(patronis())));
      processes.killPostmaster(leader.index());
      return leader;
    }
  }

  /**
   * SIGKILLs a replica's Patroni and PostgreSQL (its postmaster and every child), as if its machine died: HAProxy
   * stops routing reads to it within a second, and if it was the synchronous standby Patroni makes the other
   * replica synchronous. It stays down until {@link #startNode}.
   *
   * @param index the position in {@link #replicas()} at the time of the call
   * @return the node killed
   * @throws IllegalArgumentException if there is no replica at that index
   */
  public Node killReplica(int index) {
    synchronized (operations) {
      List<Node> replicas = replicas();
      if (index < 0 || index >= replicas.size()) {
        throw new IllegalArgumentException("No replica " + index + "; the running replicas are "
            + replicas.stream().map(Node::name).toList());
      }
      Node node = replicas.get(index);
      killed.add(node);
      processes.killNode(node.index());
      return node;
    }
  }

  /**
   * Starts a node killed by {@link #killReplica} again: its Patroni starts PostgreSQL, which recovers and
   * streams from the leader. Returns at once; {@link #awaitHealthy} waits for it to be back.
   *
   * @throws IllegalStateException if its Patroni is running
   */
  public void startNode(Node node) {
    Objects.requireNonNull(node, "node");
    synchronized (operations) {
      patronis().get(node.index()).start();
      killed.remove(node);
    }
  }

  /**
   * Stops etcd (SIGTERM). With {@code failsafe_mode} off (the default) the leader's Patroni cannot renew its
   * lock and, once its retries ({@code retry_timeout}, 3 s) have failed, demotes PostgreSQL by restarting it
   * read-only — about 5 s after the stop here: the write port then has no server, while the read port serves all
   * three nodes. With it on, the leader stays primary as long as
   * it reaches every member's REST API. Replicas keep replicating either way.
   */
  public void stopEtcd() {
    synchronized (operations) {
      processes.etcd().stop(Duration.ofSeconds(5));
      etcdStopped.set(true);
    }
  }

  /**
   * Starts etcd again, with the data it had, and waits until it answers; Patroni then elects a leader again
   * within seconds ({@link #awaitWritable}).
   *
   * @throws IllegalStateException if etcd is running, or does not answer within 20 s
   */
  public void startEtcd() {
    synchronized (operations) {
      processes.startEtcd(System.nanoTime() + ETCD_START.toNanos());
      etcdStopped.set(false);
    }
  }

  /** Whether etcd is running. */
  public boolean isEtcdRunning() {
    return processes.etcd().isAlive();
  }

  /**
   * Turns Patroni's {@code failsafe_mode} on or off ({@code PATCH /config}) and waits until the leader has
   * taken it up (with it on, it has also published the member list it would need to reach with etcd down).
   *
   * @throws IllegalStateException if there is no leader, etcd is down, or the leader does not take it up in 30 s
   */
  public void setFailsafeMode(boolean enabled) {
    synchronized (operations) {
      Node leader = leader().orElseThrow(() -> new IllegalStateException("No leader to configure"));
      PatroniApi.setFailsafeMode(leader.restPort(), enabled, nodes.stream().map(Node::name).toList(),
          System.nanoTime() + OPERATION.toNanos(), () -> patronis().get(leader.index()).logTail(30));
    }
  }

  /**
   * Makes {@code replica} fall behind: holds back its WAL replay ({@code pg_wal_replay_pause()} and, so that
   * neither Patroni nor a restart undoes it, {@code recovery_min_apply_delay}) and lets it go after
   * {@code duration}, or earlier when the returned handle is closed. It still receives and flushes WAL, so
   * synchronous commits go on; only what it shows readers stays as it was.
   *
   * @throws IllegalArgumentException if duration is negative
   * @throws IllegalStateException if the node is not a replica or cannot be reached
   */
  public ReplayPause lag(Node replica, Duration duration) {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration is negative: " + duration);
    }
    synchronized (operations) {
      if (!"t".equals(queryValue(replica, "SELECT pg_is_in_recovery()"))) {
        throw new IllegalStateException(replica.name() + " is not a replica");
      }
      // Two holds, because either alone can slip: Patroni resumes a paused replay on PostgreSQL 14+ in its HA
      // loop (Postgresql.handle_parameter_change), and a restart forgets a pause, while a new
      // recovery_min_apply_delay reaches the startup process only when it next handles its reload. The delay (set with ALTER SYSTEM, which Patroni leaves alone, and kept across
      // restarts) holds back every commit; the pause holds back the records right after this call.
      execute(replica, "ALTER SYSTEM SET recovery_min_apply_delay = '1d'", "SELECT pg_reload_conf()",
          "SELECT pg_wal_replay_pause()");
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(10).toNanos();
      while (true) {
        String state = queryValue(replica, "SELECT pg_get_wal_replay_pause_state()");
        // Under a steady stream of commits the startup process can already be waiting out the apply delay on a
        // commit record when the pause is asked for; it then never reaches the point where a pause takes
        // effect, and the state stays "pause requested" while the delay holds replay back just the same.
        if ("paused".equals(state) || "pause requested".equals(state)
            && System.nanoTime() - start > Duration.ofMillis(500).toNanos()) {
          break;
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException(replica.name() + " did not pause its WAL replay within 10 s");
        }
        pause(Duration.ofMillis(10));
      }
      // The startup process handled the reload before it answered the pause; a moment more for its config reread.
      pause(Duration.ofMillis(50));
      ReplayPause pause = new ReplayPause(this, replica);
      pause.scheduleResume(timer(), duration);
      return pause;
    }
  }

  private synchronized ScheduledExecutorService timer() {
    if (closed.get()) {
      throw new IllegalStateException("The cluster is closed");
    }
    if (timer == null) {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "holdfast-cluster-lag");
        thread.setDaemon(true);
        return thread;
      });
      t.setRemoveOnCancelPolicy(true);
      timer = t;
    }
    return timer;
  }

  /** The end of every component's log and what the cluster looks like now, for a failing test's message. */
  public String diagnostics() {
    List<Daemon> all = new ArrayList<>(patronis());
    all.add(processes.etcd());
    all.add(processes.haproxy());
    return health.diagnostics(all);
  }

  // ---- For ClusterHealth ----

  List<Daemon> patronis() {
    return processes.patronis();
  }

  Daemon etcd() {
    return processes.etcd();
  }

  Daemon haproxy() {
    return processes.haproxy();
  }

  int statsPort() {
    return processes.statsPort();
  }

  Set<Node> killedNodes() {
    return killed;
  }

  boolean etcdStopped() {
    return etcdStopped.get();
  }

  // ---- Closing ----

  /**
   * Stops every process of the cluster and deletes its directory: each Patroni first (SIGKILL, so that none
   * restarts PostgreSQL), then each postmaster with an immediate shutdown (SIGQUIT, which unlike SIGKILL still
   * frees its shared memory), HAProxy and etcd, and finally anything still running that was started from the
   * cluster's directory or was a child of a killed postmaster; then it removes the shared memory a killed
   * postmaster left behind. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // Called from the hook itself.
    }
    synchronized (this) {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
    processes.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the cluster", e);
    }
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "PostgresCluster{write 127.0.0.1:" + writePort() + ", read 127.0.0.1:" + readPort() + ", nodes "
        + hostList() + "}";
  }
}
