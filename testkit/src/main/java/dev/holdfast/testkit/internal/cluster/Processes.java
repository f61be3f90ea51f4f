package dev.holdfast.testkit.internal.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finding and stopping the cluster's processes, including the ones Java did not start: Patroni starts each
 * postmaster detached (it is re-parented to init, so it is no descendant of Patroni), and a postmaster's children
 * rewrite their command lines. So a process belongs to the cluster if its command line names the cluster's
 * directory, or if it descends from one that does.
 */
public final class Processes {
  private Processes() {}

  /** Live processes whose command line contains {@code marker}, and all their descendants. */
  public static Set<ProcessHandle> mentioning(String marker) {
    Set<ProcessHandle> roots = ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .collect(Collectors.toCollection(LinkedHashSet::new));
    return withDescendants(roots);
  }

  /** The processes and all their live descendants. */
  public static Set<ProcessHandle> withDescendants(Collection<ProcessHandle> roots) {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    for (ProcessHandle p : roots) {
      if (p.isAlive()) {
        all.add(p);
        p.descendants().forEach(all::add);
      }
    }
    return all;
  }

  /**
   * The postmaster of the data directory, from the first line of its {@code postmaster.pid}, if that process is
   * alive and really is this directory's postmaster (the file outlives a killed postmaster, and pids get reused).
   */
  public static Optional<ProcessHandle> postmaster(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false));
    } catch (IOException | NumberFormatException e) {
      // Being written or removed right now: no postmaster to speak of at this instant.
      return Optional.empty();
    }
  }

  /**
   * The System V shared memory segment the data directory's postmaster created, as {@code {key, id}} from the
   * seventh line of its {@code postmaster.pid} (which outlives a killed postmaster), if there is one.
   */
  public static Optional<long[]> sharedMemory(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      String[] f = lines.size() > 6 ? lines.get(6).trim().split("\\s+") : new String[0];
      return f.length == 2 ? Optional.of(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])})
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes a System V shared memory segment ({@code ipcrm}) if it still exists with this key and no process
   * attached. A postmaster killed with SIGKILL leaves its segment behind; a new postmaster in the same data
   * directory would remove it, but a cluster being closed starts none.
   */
  public static void removeUnusedSharedMemory(long key, long id) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 6 && f[0].equals(Long.toString(key)) && f[1].equals(Long.toString(id))
            && "0".equals(f[6])) {
          Process ipcrm = new ProcessBuilder("ipcrm", "-m", Long.toString(id)).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          ipcrm.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      // No /proc/sysvipc or no ipcrm: nothing this fixture can do about a leftover segment.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends a signal by name ({@code QUIT}, {@code INT}, ...) through the shell's {@code kill} builtin, for the
   * signals {@link ProcessHandle} cannot send. Returns whether it was delivered.
   */
  public static boolean signal(ProcessHandle process, String signal) {
    try {
      Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " " + process.pid())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILLs every process and waits (bounded) until they are gone; returns those still alive after that. */
  public static List<ProcessHandle> kill(Collection<ProcessHandle> processes, Duration wait) {
    processes.forEach(ProcessHandle::destroyForcibly);
    return awaitExit(processes, wait);
  }

  /** Waits until every process has exited or {@code wait} has passed; returns those still alive. */
  public static List<ProcessHandle> awaitExit(Collection<ProcessHandle> processes, Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    List<ProcessHandle> alive = new ArrayList<>(processes);
    while (true) {
      alive.removeIf(p -> !p.isAlive());
      if (alive.isEmpty() || System.nanoTime() >= end) {
        return alive;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return alive;
      }
    }
  }
}
