package dev.holdfast.testkit.internal.cluster;

import dev.holdfast.testkit.internal.cluster.ClusterFiles.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The programs of one cluster and their directory: where they are installed, their ports and files, starting
 * them, killing parts of them, and stopping all of them with nothing left behind. Thread-safe.
 */
public final class ClusterProcesses {
  private static final Duration REST_TIMEOUT = Duration.ofSeconds(2);

  private final Path dir;
  private final List<NodeSpec> specs;
  private final List<Daemon> patronis;
  private final Daemon etcd;
  private final Daemon haproxy;
  private final int etcdPort;
  private final int writePort;
  private final int readPort;
  private final int statsPort;
  private boolean failsafeMode;
  private final Set<ProcessHandle> strays = ConcurrentHashMap.newKeySet();

  private ClusterProcesses(Path dir, List<Integer> ports) {
    this.dir = dir;
    etcdPort = ports.get(0);
    writePort = ports.get(2);
    readPort = ports.get(3);
    statsPort = ports.get(4);
    List<NodeSpec> s = new ArrayList<>();
    List<Daemon> p = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NodeSpec spec = new NodeSpec("node" + i, ports.get(5 + 2 * i), ports.get(6 + 2 * i), dir.resolve("node" + i));
      s.add(spec);
      p.add(new Daemon("Patroni " + spec.name(), List.of(binary("patroni", "/usr/bin/patroni").toString(),
          spec.dir().resolve("patroni.yml").toString()), spec.dir().resolve("patroni.log"), dir));
    }
    specs = List.copyOf(s);
    patronis = List.copyOf(p);
    etcd = new Daemon("etcd", ClusterFiles.etcdCommand(binary("etcd", "/usr/bin/etcd"), dir.resolve("etcd"),
        etcdPort, ports.get(1)), dir.resolve("etcd.log"), dir);
    haproxy = new Daemon("HAProxy", List.of(binary("haproxy", "/usr/sbin/haproxy").toString(), "-db", "-f",
        dir.resolve("haproxy.cfg").toString()), dir.resolve("haproxy.log"), dir);
  }

  /**
   * Makes the cluster's directory (under {@code -Dholdfast.cluster.dir}, else {@code java.io.tmpdir}), chooses
   * its ports, writes every configuration file and hands the directory to the user the programs run as. Starts
   * nothing.
   *
   * @throws UncheckedIOException if the directory or its files cannot be written
   */
  public static ClusterProcesses create(boolean failsafeMode) {
    Path dir;
    try {
      Path base = Path.of(System.getProperty("holdfast.cluster.dir", System.getProperty("java.io.tmpdir")));
      dir = Files.createTempDirectory(base, "holdfast-cluster");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the cluster's directory", e);
    }
    try {
      ClusterProcesses processes = new ClusterProcesses(dir, Ports.free(11));
      processes.failsafeMode = failsafeMode;
      for (NodeSpec spec : processes.specs) {
        Files.createDirectories(spec.dir());
        Files.writeString(spec.dir().resolve("patroni.yml"),
            ClusterFiles.patroniYaml(spec, processes.etcdPort, postgresBinDir(), failsafeMode));
      }
      Files.writeString(dir.resolve("haproxy.cfg"), ClusterFiles.haproxyConfig(processes.specs,
          processes.writePort, processes.readPort, processes.statsPort));
      RunAs.handOver(dir);
      return processes;
    } catch (IOException e) {
      deleteTree(dir);
      throw new UncheckedIOException("Could not write the cluster's files in " + dir, e);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * Rewrites node {@code index}'s {@code patroni.yml} with {@code recovery_min_apply_delay} set to
   * {@code applyDelay}, or without it when null; Patroni reads it on its next reload.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public void writeApplyDelay(int index, String applyDelay) {
    NodeSpec spec = specs.get(index);
    try {
      // Rewritten in place: the file keeps the owner and mode the unprivileged Patroni reads it with.
      Files.writeString(spec.dir().resolve("patroni.yml"),
          ClusterFiles.patroniYaml(spec, etcdPort, postgresBinDir(), failsafeMode, applyDelay));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not rewrite " + spec.name() + "'s patroni.yml", e);
    }
  }

  /** The programs that are not installed where they are looked for (empty when all are). */
  public static List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(binary("patroni", "/usr/bin/patroni"), binary("etcd", "/usr/bin/etcd"),
        binary("haproxy", "/usr/sbin/haproxy"))) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    for (String tool : List.of("postgres", "initdb", "pg_ctl", "pg_basebackup", "pg_rewind")) {
      if (!Files.isExecutable(postgresBinDir().resolve(tool))) {
        missing.add(postgresBinDir().resolve(tool).toString());
      }
    }
    missing.addAll(RunAs.missing());
    return missing;
  }

  private static Path binary(String name, String debianPath) {
    return Path.of(System.getProperty("holdfast." + name, debianPath));
  }

  private static Path postgresBinDir() {
    return Path.of(System.getProperty("holdfast.postgresql.bin", "/usr/lib/postgresql/15/bin"));
  }

  /**
   * Starts etcd and waits until it answers {@code /health}.
   *
   * @throws IllegalStateException if it exits or does not answer before {@code deadline} (a {@code nanoTime});
   *     the message holds the end of its log
   */
  public void startEtcd(long deadline) {
    etcd.start();
    while (true) {
      if (!etcd.isAlive()) {
        throw new IllegalStateException("etcd exited with " + etcd.exitCode() + "; the end of its log:\n"
            + etcd.logTail(30));
      }
      try {
        Http.Answer health = Http.call(etcdPort, "GET", "/health", null, REST_TIMEOUT);
        if (health.ok() && health.body().contains("true")) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("etcd did not answer /health on port " + etcdPort
            + " in time; the end of its log:\n" + etcd.logTail(30));
      }
      sleep(Duration.ofMillis(50));
    }
  }

  /**
   * Starts HAProxy and every Patroni. HAProxy first: its checks find every REST port closed and mark all servers
   * down, so no client is routed anywhere before Patroni has chosen a leader.
   */
  public void startHaproxyAndPatroni() {
    haproxy.start();
    patronis.forEach(Daemon::start);
  }

  /** The directory holding everything. */
  public Path dir() {
    return dir;
  }

  /** The nodes' names, ports and directories, in order. */
  public List<NodeSpec> specs() {
    return specs;
  }

  /** Each node's Patroni, in node order. */
  public List<Daemon> patronis() {
    return patronis;
  }

  /** etcd. */
  public Daemon etcd() {
    return etcd;
  }

  /** HAProxy. */
  public Daemon haproxy() {
    return haproxy;
  }

  /** HAProxy's write port. */
  public int writePort() {
    return writePort;
  }

  /** HAProxy's read port. */
  public int readPort() {
    return readPort;
  }

  /** HAProxy's statistics port. */
  public int statsPort() {
    return statsPort;
  }

  /**
   * SIGKILLs node {@code index}'s postmaster alone, as a crash of PostgreSQL would.
   *
   * @throws IllegalStateException if it is not running
   */
  public void killPostmaster(int index) {
    ProcessHandle postmaster = Processes.postmaster(specs.get(index).dataDir()).orElseThrow(() ->
        new IllegalStateException("The postmaster of " + specs.get(index).name() + " is not running"));
    // Its children exit by themselves once their postmaster is gone; close() makes sure of it.
    postmaster.descendants().forEach(strays::add);
    postmaster.destroyForcibly();
    Processes.awaitExit(List.of(postmaster), Duration.ofSeconds(5));
  }

  /** SIGKILLs node {@code index}'s Patroni, then its postmaster and every child, as if its machine died. */
  public void killNode(int index) {
    patronis.get(index).kill();
    Processes.postmaster(specs.get(index).dataDir()).ifPresent(postmaster ->
        Processes.kill(Processes.withDescendants(List.of(postmaster)), Duration.ofSeconds(10)));
  }

  /**
   * Stops everything and deletes the directory: each Patroni first (SIGKILL, so that none restarts PostgreSQL),
   * then each postmaster with an immediate shutdown (SIGQUIT, which unlike SIGKILL still frees its shared memory),
   * HAProxy and etcd, and finally anything still running that was started from the directory or was a child of a
   * killed postmaster; then it removes the shared memory a killed postmaster left behind.
   */
  public void close() {
    patronis.forEach(Daemon::kill);
    List<long[]> segments = specs.stream().map(s -> Processes.sharedMemory(s.dataDir())).flatMap(Optional::stream)
        .toList();
    List<ProcessHandle> postmasters = specs.stream().map(s -> Processes.postmaster(s.dataDir()))
        .flatMap(Optional::stream).toList();
    Set<ProcessHandle> postgres = Processes.withDescendants(postmasters);
    postmasters.forEach(p -> Processes.signal(p, "QUIT"));
    Processes.kill(Processes.awaitExit(postgres, Duration.ofSeconds(10)), Duration.ofSeconds(10));
    haproxy.stop(Duration.ofSeconds(2));
    etcd.stop(Duration.ofSeconds(5));
    Set<ProcessHandle> rest = Processes.mentioning(dir + "/");
    rest.addAll(Processes.withDescendants(strays));
    Processes.kill(rest, Duration.ofSeconds(10));
    segments.forEach(s -> Processes.removeUnusedSharedMemory(s[0], s[1]));
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir, e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for etcd", e);
    }
  }
}
