package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class MockPostgrestKeyValueTableTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void createsTheTableAKeyValueStoreUpsertsInto() throws IOException {
    try (MockPostgrest postgrest = MockPostgrest.start().createKeyValueTable("settings")) {
      Request upsert = new Request.Builder().url(postgrest.url() + "/settings?on_conflict=key")
          .header("Prefer", "resolution=merge-duplicates,return=representation")
          .post(RequestBody.create("{\"key\":\"banner\",\"value\":{\"text\":\"Hi\"}}",
              MediaType.get("application/json"))).build();
      try (Response r = HTTP.newCall(upsert).execute()) {
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body().string()).contains("\"key\":\"banner\"").contains("\"updated_at\":\"");
      }
      assertThat(postgrest.database().spec("public", "settings").orElseThrow().idColumn()).isEqualTo("key");
    }
  }

  @Test
  void refusesATableThatExists() {
    try (MockPostgrest postgrest = MockPostgrest.start().createKeyValueTable("settings")) {
      assertThatThrownBy(() -> postgrest.createKeyValueTable("settings")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("settings");
    }
  }
}
