package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command runs this story; the build runs it too, so the README stays true. */
class QuickstartTest {
  @Test
  void tellsTheWholeStoryFromCrudThroughOutageToRecovery() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String story = bytes.toString(StandardCharsets.UTF_8);

    assertThat(story).contains("open tasks: [Write the README, Call O'Brien; re: \"the DROP TABLE joke\"]")
        .contains("done tasks: 1").contains("deleted task 1: true")
        .doesNotContain("postgres:postgres@");
    assertThat(line(story, "banner with the database up")).contains("Welcome back!").contains("[FRESH]");
    assertThat(line(story, "banner while it is down")).contains("Welcome back!").contains("[LAST_KNOWN_GOOD");
    assertThat(line(story, "a key never read before")).contains("(default banner)").contains("[DEFAULT");
    assertThat(line(story, "banner 2 s later")).contains("Welcome back!").contains("[FRESH]");
    assertThat(story).endsWith("Done. Everything holdfast opened is closed." + System.lineSeparator());
  }

  private static String line(String story, String prefix) {
    return story.lines().filter(l -> l.contains(prefix)).findFirst().orElseThrow();
  }
}
