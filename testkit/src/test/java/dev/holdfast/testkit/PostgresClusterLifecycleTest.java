package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testkit.internal.cluster.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Starting, failing to start, skipping, and closing: what the cluster leaves behind (nothing). */
class PostgresClusterLifecycleTest {
  @Test
  void closingDuringAFailoverStopsEveryProcessAndFreesEveryFileAndSharedMemorySegment() throws IOException {
    Fixture.SEEN.clear();
    Fixture.PROCESSES.clear();
    Fixture.SEGMENTS.clear();

    TestExecutionSummary summary = RunTests.run(Fixture.class);

    assertThat(summary.getFailures()).extracting(f -> f.getException().toString()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    PostgresCluster closed = Fixture.SEEN.get(0);
    assertThat(closed.isClosed()).isTrue();
    assertThat(Fixture.PROCESSES).as("Patroni, postmasters and their children, etcd, HAProxy").hasSizeGreaterThan(10);
    assertThat(Fixture.PROCESSES).filteredOn(ProcessHandle::isAlive).isEmpty();
    assertThat(Processes.mentioning(closed.directory() + "/")).isEmpty();
    assertThat(Files.exists(closed.directory())).isFalse();
    assertThat(Fixture.SEGMENTS).isNotEmpty();
    assertThat(sharedMemorySegments()).doesNotContainAnyElementsOf(Fixture.SEGMENTS);
  }

  @Test
  void aComponentThatCannotStartFailsTheStartOnceWithTheEndOfItsLogAndLeavesNothing() throws IOException {
    PostgresCluster.assumeInstalled();
    Path scratch = Files.createTempDirectory("holdfast-cluster-test");
    Path base = Files.createDirectory(scratch.resolve("clusters"));
    Path starts = Files.createDirectory(scratch.resolve("starts"));
    Path fakeEtcd = scratch.resolve("etcd");
    Files.writeString(fakeEtcd, "#!/bin/sh\necho started >> " + starts.resolve("log")
        + "\necho \"etcd: cannot listen: the port is haunted\"\nexit 3\n");
    // The unprivileged user must be able to run it and write down that it ran.
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(fakeEtcd, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(starts, PosixFilePermissions.fromString("rwxrwxrwx"));
    try {
      withProperties(List.of("holdfast.etcd", fakeEtcd.toString(), "holdfast.cluster.dir", base.toString()), () -> {
        assertThatThrownBy(() -> PostgresCluster.builder().startupTimeout(Duration.ofSeconds(30)).start())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("etcd exited with 3")
            .hasMessageContaining("the port is haunted");
        TwoTests.RAN.set(0);
        TestExecutionSummary summary = RunTests.run(TwoTests.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(2);
        assertThat(summary.getFailures()).allSatisfy(f ->
            assertThat(f.getException()).hasStackTraceContaining("the port is haunted"));
        assertThat(TwoTests.RAN).hasValue(0);
      });
      assertThat(Files.readAllLines(starts.resolve("log")))
          .as("one start for the call, one for the class: its second test does not start it again").hasSize(2);
      try (Stream<Path> left = Files.list(base)) {
        assertThat(left).as("the clusters' directories are deleted").isEmpty();
      }
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void missingPackagesSkipTheClassButFailItInCi() {
    TestExecutionSummary[] summary = new TestExecutionSummary[1];
    withProperties(List.of("holdfast.patroni", "/nonexistent/patroni"), () -> summary[0] = RunTests.run(Fixture.class));

    assertThat(summary[0].getTestsSucceededCount()).isZero();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(summary[0].getContainersFailedCount()).isEqualTo(1);
      assertThat(summary[0].getFailures().get(0).getException()).hasMessageContaining("CI=true")
          .hasMessageContaining("apt-get install patroni etcd-server haproxy postgresql-15")
          .hasMessageContaining("/nonexistent/patroni");
    } else {
      assertThat(summary[0].getContainersAbortedCount()).isEqualTo(1);
      assertThat(summary[0].getContainersFailedCount()).isZero();
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> PostgresCluster.builder().startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupTimeout");
    assertThatThrownBy(() -> PostgresCluster.builder().startupTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
    assertThat(PostgresCluster.lsnBytes("16/B374D848")).isEqualTo(0x16_B374_D848L);
    assertThat(PostgresCluster.lsnBytes("0/0")).isZero();
    assertThatThrownBy(() -> PostgresCluster.lsnBytes("B374D848")).isInstanceOf(IllegalArgumentException.class);
  }

  /** The ids of the System V shared memory segments that exist now. */
  static Set<String> sharedMemorySegments() throws IOException {
    Set<String> ids = new java.util.HashSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1 && !"key".equals(f[0])) {
        ids.add(f[1]);
      }
    }
    return ids;
  }

  private static void withProperties(List<String> namesAndValues, Runnable body) {
    List<String> before = new ArrayList<>();
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      before.add(System.getProperty(namesAndValues.get(i)));
      System.setProperty(namesAndValues.get(i), namesAndValues.get(i + 1));
    }
    try {
      body.run();
    } finally {
      for (int i = 0; i < namesAndValues.size(); i += 2) {
        String old = before.get(i / 2);
        if (old == null) {
          System.clearProperty(namesAndValues.get(i));
        } else {
          System.setProperty(namesAndValues.get(i), old);
        }
      }
    }
  }

  /** Run by the tests above: two tests of one class that needs a cluster. */
  @ExtendWith(PostgresClusterExtension.class)
  static class TwoTests {
    static final java.util.concurrent.atomic.AtomicInteger RAN = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void one(PostgresCluster cluster) {
      RAN.incrementAndGet();
    }

    @Test
    void two(PostgresCluster cluster) {
      RAN.incrementAndGet();
    }
  }

  /** Run by the tests above: kills the primary and lets the extension close the cluster mid-failover. */
  @ExtendWith(PostgresClusterExtension.class)
  static class Fixture {
    static final List<PostgresCluster> SEEN = new CopyOnWriteArrayList<>();
    static final List<ProcessHandle> PROCESSES = new CopyOnWriteArrayList<>();
    static final List<String> SEGMENTS = new CopyOnWriteArrayList<>();

    @Test
    void killsThePrimaryJustBeforeTheClassEnds(PostgresCluster cluster) throws IOException {
      SEEN.add(cluster);
      for (PostgresCluster.Node n : cluster.nodes()) {
        // postmaster.pid's seventh line holds the System V segment's key and id.
        List<String> pid = Files.readAllLines(cluster.directory().resolve(n.name()).resolve("data/postmaster.pid"));
        SEGMENTS.add(pid.get(6).trim().split("\\s+")[1]);
      }
      assertThat(sharedMemorySegments()).containsAll(SEGMENTS);
      PROCESSES.addAll(Processes.mentioning(cluster.directory() + "/"));
      cluster.killPrimary();
    }
  }
}
