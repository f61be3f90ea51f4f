package dev.holdfast.testkit.internal.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The calls the cluster makes to Patroni's REST API. */
public final class PatroniApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROBE = Duration.ofSeconds(2);

  private PatroniApi() {}

  /**
   * {@code POST /switchover} from {@code leader}, like {@code patronictl switchover}: Patroni picks the
   * synchronous standby and answers once the switch is done.
   *
   * @param context what to append to an error message (the end of the leader's log)
   * @throws IllegalStateException if Patroni does not answer or refuses
   */
  /**
   * Asks the Patroni on {@code restPort} to reread its configuration file ({@code POST /reload}).
   *
   * @throws IllegalStateException if Patroni does not answer or refuses
   */
  public static void reload(int restPort) {
    Http.Answer answer;
    try {
      answer = Http.call(restPort, "POST", "/reload", "", PROBE);
    } catch (IOException e) {
      throw new IllegalStateException("Patroni on port " + restPort + " did not answer a reload: "
          + e.getMessage(), e);
    }
    if (!answer.ok()) {
      throw new IllegalStateException("Patroni on port " + restPort + " refused a reload: " + answer.status()
          + " " + answer.body());
    }
  }

  public static void switchover(int restPort, String leader, long deadline, Supplier<String> context) {
    while (true) {
      Http.Answer answer;
      try {
        answer = Http.call(restPort, "POST", "/switchover", "{\"leader\":\"" + leader + "\"}",
            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (IOException e) {
        throw new IllegalStateException("Patroni on " + leader + " did not answer the switchover: "
            + e.getMessage() + "\n" + context.get(), e);
      }
      if (answer.ok()) {
        return;
      }
      // Right after a failover Patroni has no synchronous standby yet for a moment, and refuses with 412.
      if (answer.status() != 412 || !answer.body().contains("sync_standby") || System.nanoTime() > deadline) {
        throw new IllegalStateException("Patroni refused the switchover from " + leader + ": " + answer.status()
            + " " + answer.body() + "\n" + context.get());
      }
      sleep(Duration.ofMillis(200));
    }
  }

  /**
   * The member Patroni has recorded as synchronous standby (role {@code sync_standby}, running) in the answer of
   * {@code GET /cluster}; empty when there is none or Patroni does not answer.
   */
  public static Optional<String> synchronousStandby(int restPort) {
    try {
      Http.Answer answer = Http.call(restPort, "GET", "/cluster", null, PROBE);
      if (answer.ok()) {
        for (JsonNode member : JSON.readTree(answer.body()).path("members")) {
          if ("sync_standby".equals(member.path("role").asText())
              && "running".equals(member.path("state").asText())) {
            return Optional.of(member.path("name").asText());
          }
        }
      }
    } catch (IOException e) {
      // Not answering: no standby it could vouch for.
    }
    return Optional.empty();
  }

  /**
   * Sets {@code failsafe_mode} in the dynamic configuration ({@code PATCH /config} on the leader) and waits until
   * the leader has taken it up: its {@code GET /config} shows it, and with it on, its {@code GET /failsafe}
   * lists every member (the topology it must reach to stay leader with etcd down).
   *
   * @throws IllegalStateException if Patroni refuses, does not answer, or does not take it up before deadline
   */
  public static void setFailsafeMode(int restPort, boolean enabled, List<String> members, long deadline,
      Supplier<String> context) {
    try {
      Http.Answer answer = Http.call(restPort, "PATCH", "/config", "{\"failsafe_mode\":" + enabled + "}", PROBE);
      if (!answer.ok()) {
        throw new IllegalStateException("Patroni refused failsafe_mode=" + enabled + ": " + answer.status() + " "
            + answer.body());
      }
      while (!failsafeTakenUp(restPort, enabled, members)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The leader did not take up failsafe_mode=" + enabled + " in time\n"
              + context.get());
        }
        sleep(Duration.ofMillis(100));
      }
    } catch (IOException e) {
      throw new IllegalStateException("Patroni on port " + restPort + " did not answer: " + e.getMessage(), e);
    }
  }

  private static boolean failsafeTakenUp(int restPort, boolean enabled, List<String> members) throws IOException {
    JsonNode config = JSON.readTree(Http.call(restPort, "GET", "/config", null, PROBE).body());
    if (config.path("failsafe_mode").asBoolean(false) != enabled) {
      return false;
    }
    if (!enabled) {
      return true;
    }
    Http.Answer topology = Http.call(restPort, "GET", "/failsafe", null, PROBE);
    if (!topology.ok()) {
      return false;
    }
    JsonNode names = JSON.readTree(topology.body());
    return members.stream().allMatch(names::has);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Patroni", e);
    }
  }
}
