package dev.holdfast.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.TableSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@link ConformanceCase} against a fresh MockPostgrest with the case's fixture: each step's status,
 * checked headers (exact values, or absent) and body (byte for byte) must be PostgREST's.
 */
class MockPostgrestConformanceTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private static final Pattern JWT = Pattern.compile("\\{jwt:(\\{.*?})}");

  static Stream<Arguments> cases() {
    return ConformanceCase.all().stream().map(c -> Arguments.of(c.behaviour(), c.name(), c));
  }

  @AfterAll
  static void closeClient() {
    HTTP.dispatcher().executorService().shutdown();
    HTTP.connectionPool().evictAll();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void answersAsPostgrestDoes(String behaviour, String name, ConformanceCase c) throws IOException {
    try (MockPostgrest postgrest = ConformanceFixtures.start(c.fixture())) {
      int n = 0;
      for (ConformanceCase.Step step : c.steps()) {
        n++;
        ConformanceCase.Request req = step.request();
        if (req.action() != null) {
          act(postgrest, req.action());
          continue;
        }
        Request.Builder b = new Request.Builder().url(postgrest.url() + req.path());
        for (Map.Entry<String, String> h : req.headers().entrySet()) {
          b.header(h.getKey(), expand(postgrest, h.getValue()));
        }
        String ct = req.headers().getOrDefault("Content-Type", "application/json");
        RequestBody body = req.body() == null ? (requiresBody(req.method()) ? RequestBody.create(new byte[0])
            : null) : RequestBody.create(req.body(), MediaType.get(ct));
        b.method(req.method(), body);
        try (Response r = HTTP.newCall(b.build()).execute()) {
          String text = r.body().string();
          String where = "step " + n + " " + req.method() + " " + req.path();
          ConformanceCase.Response want = step.response();
          assertThat(r.code()).as(where + " status; body " + text).isEqualTo(want.status());
          assertThat(text).as(where + " body").isEqualTo(want.body());
          for (Map.Entry<String, String> h : want.headers().entrySet()) {
            assertThat(r.header(h.getKey())).as(where + " header " + h.getKey()).isEqualTo(h.getValue());
          }
        }
      }
    }
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static String expand(MockPostgrest postgrest, String value) throws IOException {
    Matcher m = JWT.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(ConformanceFixtures.token(postgrest,
          new ObjectMapper().readTree(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static void act(MockPostgrest postgrest, String action) {
    String[] parts = action.split(":", 2);
    switch (parts[0]) {
      case "drop-table" -> {
        String[] qn = parts[1].split("\\.");
        postgrest.database().dropTable(qn[0], qn[1]);
      }
      case "create-table" -> {
        String[] qn = parts[1].split("\\.");
        postgrest.database().createTable(TableSpec.builder(qn[0], qn[1]).id("id", true).column("id", "bigint")
            .column("label", "text").build());
      }
      case "reload-schema" -> postgrest.reloadSchema();
      default -> throw new IllegalArgumentException(action);
    }
  }

  static List<String> names() {
    List<String> out = new ArrayList<>();
    ConformanceCase.all().forEach(c -> out.add(c.toString()));
    return out;
  }
}
