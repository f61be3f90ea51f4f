package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueExampleTest {
  @Test
  void servesFreshCopiesAndDefaultsThroughScriptedPostgrestFaults() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KeyValueExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String story = bytes.toString(StandardCharsets.UTF_8);

    assertThat(story)
        .contains("3 requests")
        .contains("checkout.* -> {checkout.max_items=20, checkout.new_flow={\"enabled\":true}}")
        .containsPattern("checkout.max_items +-> 20 +\\[LAST_KNOWN_GOOD, TransientException .*HTTP 520\\]")
        .containsPattern("search.limit \\(never read\\) +-> 50 +\\[DEFAULT")
        .contains("many: checkout.max_items -> 20 [LAST_KNOWN_GOOD]")
        .contains("many: search.limit -> 0 [DEFAULT]")
        .containsPattern("safeSet search.limit=30 -> APPLIED after 2 request\\(s\\)")
        .containsPattern("search.limit +-> 30 +\\[FRESH\\]");
  }
}
