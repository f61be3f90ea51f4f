package dev.holdfast.testkit.internal.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who the cluster's processes run as. PostgreSQL refuses to run as root, and a test fixture should not hand
 * root to etcd, Patroni or HAProxy either, so under root every process runs as uid/gid 65534 ({@code nobody})
 * through {@code setpriv}, which execs the program in place (the process Java holds is the program itself, so
 * signals reach it). Otherwise they run as the current user.
 */
public final class RunAs {
  /** The unprivileged uid and gid used under root. */
  public static final int NOBODY = 65_534;
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private RunAs() {}

  /** Whether this JVM runs as root. */
  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** What is missing to run unprivileged processes (empty when nothing is). */
  public static List<String> missing() {
    return isRoot() && !Files.isExecutable(SETPRIV) ? List.of(SETPRIV.toString()) : List.of();
  }

  /** The words to put before a command so that it runs unprivileged (none when not root). */
  public static List<String> prefix() {
    if (!isRoot()) {
      return List.of();
    }
    return List.of(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
  }

  /**
   * Makes {@code dir} and everything in it belong to the user the processes run as, readable by it alone
   * (PostgreSQL insists on a private data directory; the rest holds configuration and logs). Under root it also
   * checks that every parent directory lets that user through, since otherwise each process would fail later
   * with a confusing permission error.
   *
   * @throws IllegalStateException if a parent directory does not let the unprivileged user through
   */
  public static void handOver(Path dir) {
    if (!isRoot()) {
      return;
    }
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException("The cluster runs as uid " + NOBODY + ", which cannot enter " + p
              + "; put the cluster elsewhere with -Dholdfast.cluster.dir=/tmp");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the permissions of " + p, e);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.setAttribute(p, "unix:uid", NOBODY);
        Files.setAttribute(p, "unix:gid", NOBODY);
        Files.setPosixFilePermissions(p, Files.isDirectory(p)
            ? Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE)
            : Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot hand " + dir + " to uid " + NOBODY, e);
    }
  }
}
