package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Secrets;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import dev.holdfast.jdbc.internal.ConnectionRules;
import dev.holdfast.jdbc.internal.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionRulesTest {
  private static final String BEGIN = "<!-- doctor-rules:begin -->\n";
  private static final String END = "<!-- doctor-rules:end -->";

  @Test
  void theReadmesTroubleshootingTableIsTheRuleTableWordForWord() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has the markers around the generated table").isNotNegative();
    assertThat(readme.substring(begin + BEGIN.length(), end))
        .as("regenerate the table between the markers from ConnectionRules.markdownTable()")
        .isEqualTo(ConnectionRules.markdownTable());
  }

  @Test
  void everyRuleReadsTheSameAfterSecretsAreMasked() {
    // Findings and exceptions pass their words through Secrets.redact; a rule whose words it would change
    // (a "password:" followed by text) would read differently in the README and in the doctor.
    for (Rule r : ConnectionRules.all()) {
      assertThat(Secrets.redact(r.message())).as(r.topic()).isEqualTo(r.message());
      assertThat(Secrets.redact(r.fix())).as(r.topic()).isEqualTo(r.fix());
    }
  }

  @Test
  void everyRuleHasItsOwnTopicAndEveryProblemAFix() {
    Set<String> seen = new HashSet<>();
    for (Rule r : ConnectionRules.all()) {
      assertThat(seen.add(r.topic() + "/" + r.outcome())).as("duplicate " + r.topic()).isTrue();
      assertThat(r.topic()).matches("[a-z0-9]+(\\.[a-z0-9-]+)+|connected");
      assertThat(r.symptom()).isNotBlank();
      assertThat(r.message()).isNotBlank();
      if (r.severity() != Severity.INFO) {
        assertThat(r.fix()).as(r.topic()).isNotBlank();
      }
    }
  }
}
