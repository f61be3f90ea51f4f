package dev.holdfast.testkit.internal.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for the cluster's programs, which bind them a few seconds after they are chosen.
 * They are taken below the kernel's ephemeral range when there is room: a port from that range (what binding
 * port 0 returns) may meanwhile become the local end of some outgoing connection on a busy machine, and then the
 * program that was meant to listen on it fails to start.
 */
public final class Ports {
  private static final int LOWEST = 10_000;

  private Ports() {}

  /**
   * {@code count} distinct ports that are free right now.
   *
   * @throws IOException if no free ports can be found
   */
  public static List<Integer> free(int count) throws IOException {
    int below = ephemeralLow();
    Set<Integer> chosen = new LinkedHashSet<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int attempt = 0; chosen.size() < count && attempt < count * 50 && below > LOWEST + 1000; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
        if (!chosen.contains(port)) {
          try {
            held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
            chosen.add(port);
          } catch (IOException taken) {
            // Someone listens there; try another.
          }
        }
      }
      while (chosen.size() < count) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        chosen.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return List.copyOf(chosen);
  }

  private static int ephemeralLow() {
    try {
      // Not Files.readString: it trusts the file's size, which /proc reports wrongly.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
