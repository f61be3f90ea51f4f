package dev.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata IDEs read: every key documented, every time value a Duration, the defaults the library's. */
class ConfigurationMetadataTest {
  private static Map<String, JsonNode> properties() throws Exception {
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      Map<String, JsonNode> byName = new HashMap<>();
      for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
        byName.put(p.path("name").asText(), p);
      }
      return byName;
    }
  }

  @Test
  void documentsEveryKey() throws Exception {
    Map<String, JsonNode> properties = properties();
    assertThat(properties).hasSizeGreaterThan(100);
    List<String> undocumented = new ArrayList<>();
    properties.forEach((name, p) -> {
      if (p.path("description").asText().isBlank()) {
        undocumented.add(name);
      }
    });
    assertThat(undocumented).isEmpty();
  }

  @Test
  void makesEveryTimeValueADuration() throws Exception {
    properties().forEach((name, p) -> {
      if (name.matches(".*(timeout|delay|deadline|lifetime|interval|max-age|max-wait|base|cap)$")) {
        assertThat(p.path("type").asText()).as(name).isEqualTo("java.time.Duration");
      }
    });
  }

  @Test
  void showsTheLibrarysDefaults() throws Exception {
    Map<String, JsonNode> properties = properties();
    assertThat(properties.get("holdfast.resilience.deadline").path("defaultValue").asText()).isEqualTo("10s");
    assertThat(properties.get("holdfast.resilience.backoff.cap").path("defaultValue").asText()).isEqualTo("2s");
    assertThat(properties.get("holdfast.safe.backoff.cap").path("defaultValue").asText()).isEqualTo("400ms");
    assertThat(properties.get("holdfast.safe.backoff.jitter").path("defaultValue").asText()).isEqualTo("additive");
    assertThat(properties.get("holdfast.jdbc.maximum-pool-size").path("defaultValue").asInt()).isEqualTo(10);
    assertThat(properties.get("holdfast.postgrest.call-timeout").path("defaultValue").asText()).isEqualTo("60s");
  }
}
