package dev.holdfast.testkit.internal.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One long-running program of the cluster (etcd, a Patroni, HAProxy): its command, run unprivileged (see
 * {@link RunAs}), with stdout and stderr appended to one log file, so it can be stopped and started again with
 * the same log. Thread-safe.
 */
public final class Daemon {
  private final String name;
  private final List<String> command;
  private final Path log;
  private final Path home;
  private Process process;

  /**
   * @param name what error messages call it, such as {@code "etcd"} or {@code "Patroni node1"}
   * @param home the directory given to it as {@code HOME} (the unprivileged user's own may not exist)
   */
  public Daemon(String name, List<String> command, Path log, Path home) {
    this.name = Objects.requireNonNull(name, "name");
    this.command = List.copyOf(command);
    this.log = Objects.requireNonNull(log, "log");
    this.home = Objects.requireNonNull(home, "home");
  }

  /** What error messages call it. */
  public String name() {
    return name;
  }

  /** Its log file. */
  public Path log() {
    return log;
  }

  /**
   * Starts it (again).
   *
   * @throws IllegalStateException if it is running
   * @throws UncheckedIOException if it cannot be started
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> full = new ArrayList<>(RunAs.prefix());
    full.addAll(command);
    // Standard input from /dev/null, never a pipe from this JVM: Patroni's postmasters inherit it, and a backend
    // whose postmaster was killed while it waited for a synchronous commit ends up reading standard input. On an
    // open pipe it blocks for ever, holding the shared memory, and PostgreSQL cannot start on that node again;
    // on /dev/null it reads end-of-file and exits.
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    // A developer's PGHOST/PGPORT/PGUSER would point initdb, pg_basebackup and pg_rewind elsewhere.
    env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_") || k.startsWith("PATRONI"));
    env.put("HOME", home.toString());
    // A locale that every Debian has, so PostgreSQL never fails on a locale the machine lacks.
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " could not be started: " + String.join(" ", full), e);
    }
  }

  /** Whether it is running. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Its process, if it was started and has not been reaped. */
  public synchronized ProcessHandle handle() {
    return process == null ? null : process.toHandle();
  }

  /** Its exit code, or -1 if it runs or never ran. */
  public synchronized int exitCode() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGKILLs it and its descendants, and waits (bounded) for them to exit. */
  public synchronized void kill() {
    if (process != null) {
      Processes.kill(Processes.withDescendants(List.of(process.toHandle())), Duration.ofSeconds(10));
    }
  }

  /** SIGTERMs it, waits up to {@code grace}, then SIGKILLs what is left of it and its descendants. */
  public synchronized void stop(Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    var tree = Processes.withDescendants(List.of(process.toHandle()));
    process.destroy();
    Processes.kill(Processes.awaitExit(tree, grace), Duration.ofSeconds(10));
  }

  /** The last {@code lines} lines of its log, for error messages. */
  public String logTail(int lines) {
    return tail(log, lines);
  }

  /** The last {@code lines} lines of a log file, or a note saying why there are none. */
  public static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no " + file.getFileName() + " yet)";
      }
      // Patroni says "no action. I am (node1), the leader with the lock" every second: noise in a tail.
      List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.contains(" INFO: no action. ")).toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
