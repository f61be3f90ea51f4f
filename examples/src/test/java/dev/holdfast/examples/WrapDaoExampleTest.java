package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WrapDaoExampleTest {
  @Test
  void retriesReadsDegradesAnnotatedMethodsAndNeverRetriesDuplicates() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WrapDaoExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String story = bytes.toString(StandardCharsets.UTF_8);

    assertThat(story).contains("ada's total: 2240 cents")
        .contains("ConflictException after 1 attempt(s): 23505")
        .containsPattern("order 1: ada \\(after [1-9]\\d* retries\\)")
        .contains("recent orders: [] (empty: @DefaultOnFailure)")
        .contains("ada's total:   -1 (-1: @Fallback)")
        .contains("and back again: 2 recent orders");
  }
}
