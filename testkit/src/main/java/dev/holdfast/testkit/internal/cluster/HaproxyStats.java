package dev.holdfast.testkit.internal.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What HAProxy's statistics page says about each server of each proxy. */
public final class HaproxyStats {
  private final Map<String, Map<String, String>> status;

  private HaproxyStats(Map<String, Map<String, String>> status) {
    this.status = status;
  }

  /**
   * Reads {@code /stats;csv} from 127.0.0.1:{@code port}.
   *
   * @throws IOException if HAProxy does not answer, or not with its CSV
   */
  public static HaproxyStats read(int port, Duration timeout) throws IOException {
    Http.Answer answer = Http.call(port, "GET", "/stats;csv", null, timeout);
    if (!answer.ok()) {
      throw new IOException("HAProxy's statistics answered " + answer.status());
    }
    return parse(answer.body());
  }

  static HaproxyStats parse(String csv) throws IOException {
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
      throw new IOException("Not HAProxy's CSV statistics: " + csv.lines().findFirst().orElse(""));
    }
    List<String> header = Arrays.asList(lines.get(0).substring(2).split(",", -1));
    int proxy = header.indexOf("pxname");
    int server = header.indexOf("svname");
    int state = header.indexOf("status");
    Map<String, Map<String, String>> status = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length > state && !"FRONTEND".equals(f[server]) && !"BACKEND".equals(f[server])) {
        status.computeIfAbsent(f[proxy], k -> new LinkedHashMap<>()).put(f[server], f[state]);
      }
    }
    return new HaproxyStats(status);
  }

  /**
   * The servers of {@code proxy} that HAProxy routes to: those "UP", including "UP 1/2" (one check failed, not
   * yet enough to take it out).
   */
  public Set<String> routedServers(String proxy) {
    Set<String> up = new TreeSet<>();
    status.getOrDefault(proxy, Map.of()).forEach((name, s) -> {
      if (s.startsWith("UP")) {
        up.add(name);
      }
    });
    return up;
  }

  /** Each server's status in {@code proxy}, such as {@code UP}, {@code DOWN} or {@code DOWN 1/1}. */
  public Map<String, String> statuses(String proxy) {
    return Map.copyOf(status.getOrDefault(proxy, Map.of()));
  }

  @Override
  public String toString() {
    return status.toString();
  }
}
