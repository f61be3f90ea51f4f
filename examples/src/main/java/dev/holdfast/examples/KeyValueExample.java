package dev.holdfast.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.holdfast.Holdfast;
import dev.holdfast.LastKnownGood;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.SafeResult;
import dev.holdfast.WriteResult;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.MockPostgrestFault;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A feature-flag store on PostgREST with safe reads and writes, against {@link MockPostgrest} (an in-memory
 * PostgREST from holdfast-testkit) that is told to fail: 503 with Retry-After, Cloudflare 520 pages, a connection
 * reset in the middle of a response. Shows retries, Retry-After, last-known-good copies, defaults and per-key
 * results.
 */
public final class KeyValueExample {
  private KeyValueExample() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) {
    try (MockPostgrest postgrest = MockPostgrest.start()) {
      postgrest.database().createKeyValueTable("public", "feature_flags");
      PostgrestClient.Builder client = PostgrestClient.builder(postgrest.url()).apiKey("anon-key-for-the-demo");
      try (Holdfast db = Holdfast.builder(PostgrestBackend.create(client)).build()) {
        SafeKeyValueStore flags = db.safeKeyValueStore("feature_flags")
            .withLastKnownGood(LastKnownGood.of(10_000, Duration.ofMinutes(10)));
        IntNode noLimit = IntNode.valueOf(-1);

        out.println("1. Writing flags: safeSet is an upsert, so it is safe to retry.");
        flags.safeSet("checkout.max_items", 20);
        flags.safeSet("checkout.new_flow", Map.of("enabled", true));
        flags.safeSet("search.fuzzy", Map.of("enabled", false));
        show(out, "checkout.max_items", flags.safeGet("checkout.max_items", noLimit));

        out.println("2. PostgREST answers 503 PGRST002 twice, asking to retry after 1 s.");
        postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));
        postgrest.clearJournal();
        long start = System.nanoTime();
        SafeResult<JsonNode> waited = flags.safeGet("checkout.max_items", noLimit);
        show(out, "checkout.max_items", waited);
        out.printf("   %d requests, %.1f s: holdfast waited as the server asked.%n", postgrest.journal().size(),
            (System.nanoTime() - start) / 1e9);

        out.println("3. All flags under a prefix, in one request.");
        out.println("   checkout.* -> " + flags.safeGetByPrefix("checkout.", Map.of()).value());

        out.println("4. Cloudflare answers 520 to everything for a while.");
        postgrest.faults().every(1, MockPostgrestFault.cloudflare(520));
        show(out, "checkout.max_items", flags.safeGet("checkout.max_items", noLimit));
        show(out, "search.limit (never read)", flags.safeGet("search.limit", IntNode.valueOf(50)));
        Map<String, SafeResult<Integer>> many =
            flags.safeGetMany(List.of("checkout.max_items", "search.limit"), Integer.class, 0);
        many.forEach((key, result) -> out.println("   many: " + key + " -> " + result.value() + " ["
            + result.source() + "]"));

        out.println("5. Cloudflare recovers. The breaker opened during the storm; its probe (a cheap request every");
        out.println("   500 ms) sees PostgREST answer again and closes it.");
        postgrest.faults().clear();
        sleep(Duration.ofMillis(1_200));
        show(out, "checkout.max_items", flags.safeGet("checkout.max_items", noLimit));
        out.println("6. The connection resets in the middle of the response to a write. An upsert may be repeated,");
        out.println("   and the retry quota still has room after a short storm, so holdfast sends it again.");
        postgrest.faults().next(1, MockPostgrestFault.resetDuringBody());
        postgrest.clearJournal();
        WriteResult write = flags.safeSet("search.limit", 30);
        out.println("   safeSet search.limit=30 -> " + write.outcome() + " after "
            + postgrest.journal("POST", "/feature_flags").size() + " request(s)"
            + write.error().map(e -> ", " + e.getClass().getSimpleName()).orElse(""));
        show(out, "search.limit", flags.safeGet("search.limit", IntNode.valueOf(50)));
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void show(PrintStream out, String key, SafeResult<JsonNode> result) {
    String why = result.error().map(e -> ", " + e.getClass().getSimpleName()
        + e.code().map(c -> " " + c).orElse("") + e.httpStatus().stream().mapToObj(s -> " HTTP " + s)
            .findFirst().orElse("")).orElse("");
    out.printf("   %-26s -> %-6s [%s%s]%n", key, result.value(), result.source(), why);
  }
}
