package dev.holdfast.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.testkit.NoDelayServerSockets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Item 3: holdfast's PostgREST client against a raw OkHttp call plus Jackson parsing of the same body, both on
 * one OkHttpClient, against a local server that answers every request with the same PostgREST-shaped body.
 */
final class PostgrestComparison {
  static final int WARMUP = Integer.getInteger("bench.postgrest.warmup", 5_000);
  static final int CALLS = Integer.getInteger("bench.postgrest.calls", 20_000);
  static final int BODY_ROWS = 10;

  private PostgrestComparison() {}

  static String run() throws Exception {
    StringBuilder body = new StringBuilder("[");
    for (int i = 1; i <= BODY_ROWS; i++) {
      body.append(i == 1 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item number ").append(i)
          .append("\",\"qty\":").append(i * 7).append('}');
    }
    String json = body.append(']').toString();
    ObjectMapper mapper = new ObjectMapper();
    try (MockWebServer server = new MockWebServer()) {
      server.setServerSocketFactory(new NoDelayServerSockets());
      MockResponse fixed = new MockResponse.Builder().code(200)
          .addHeader("Content-Type", "application/json; charset=utf-8")
          .addHeader("Content-Range", "0-" + (BODY_ROWS - 1) + "/*").body(json).build();
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return fixed;
        }
      });
      server.start();
      String base = server.url("/rest/v1").toString();
      OkHttpClient http = new OkHttpClient();
      try (PostgrestClient client = PostgrestClient.builder(base).apiKey("bench-key").okHttpClient(http).build();
          Holdfast db = Holdfast.builder(PostgrestBackend.wrap(client)).build()) {
        Repository<Item, Long> repo = db.repository(Item.TABLE);
        Request raw = new Request.Builder().url(base + "/bench_items?select=id,name,qty&qty=gt.5")
            .header("apikey", "bench-key").header("Authorization", "Bearer bench-key")
            .header("Accept", "application/json").build();
        Measure.Op rawCall = i -> {
          try (Response r = http.newCall(raw).execute()) {
            if (!r.isSuccessful()) {
              throw new IOException("HTTP " + r.code());
            }
            JsonNode tree = mapper.readTree(r.body().byteStream());
            List<ObjectNode> rows = new ArrayList<>(tree.size());
            tree.forEach(n -> rows.add((ObjectNode) n));
            check(rows.size());
          }
        };
        // Diagnostic: the raw call with the per-call timeout holdfast's client sets (OkHttp then arms its watchdog).
        Measure.Op rawTimedCall = i -> {
          okhttp3.Call call = http.newCall(raw);
          call.timeout().timeout(10_000, java.util.concurrent.TimeUnit.MILLISECONDS);
          try (Response r = call.execute()) {
            if (!r.isSuccessful()) {
              throw new IOException("HTTP " + r.code());
            }
            JsonNode tree = mapper.readTree(r.body().byteStream());
            List<ObjectNode> rows = new ArrayList<>(tree.size());
            tree.forEach(n -> rows.add((ObjectNode) n));
            check(rows.size());
          }
        };
        // Diagnostic: the raw call building its URL per call, as any caller with changing filters must.
        okhttp3.HttpUrl baseUrl = okhttp3.HttpUrl.get(base);
        Measure.Op rawUrlCall = i -> {
          Request built = raw.newBuilder().url(baseUrl.newBuilder().addPathSegment("bench_items")
              .addQueryParameter("select", "id,name,qty").addQueryParameter("qty", "gt.5").build()).build();
          try (Response r = http.newCall(built).execute()) {
            if (!r.isSuccessful()) {
              throw new IOException("HTTP " + r.code());
            }
            JsonNode tree = mapper.readTree(r.body().byteStream());
            List<ObjectNode> rows = new ArrayList<>(tree.size());
            tree.forEach(n -> rows.add((ObjectNode) n));
            check(rows.size());
          }
        };
        Measure.Op clientCall = i -> check(client.from("bench_items").select("id,name,qty").gt("qty", 5).execute()
            .rows().size());
        Measure.Op repoCall = i -> check(repo.find(dev.holdfast.Query.where(dev.holdfast.Filter.gt("qty", 5)))
            .size());
        Progress.say("item 3: PostgREST client vs raw OkHttp + Jackson");
        Measure.interleavedLatencies(rawCall, clientCall, WARMUP);
        Measure.interleavedLatencies(rawCall, repoCall, WARMUP);
        Measure.Latencies[] vsClient = Measure.interleavedLatencies(rawCall, clientCall, CALLS);
        Measure.Latencies[] vsRepo = Measure.interleavedLatencies(rawCall, repoCall, CALLS);
        Measure.Latencies[] vsTimed = Measure.interleavedLatencies(rawTimedCall, clientCall, CALLS);
        Measure.Latencies[] vsUrl = Measure.interleavedLatencies(rawUrlCall, clientCall, CALLS);
        Markdown md = new Markdown().heading("3. PostgREST client vs raw OkHttp + Jackson");
        md.paragraph(Markdown.f("A local MockWebServer answers every request with the same %d-row PostgREST-shaped "
            + "JSON array. Raw: an OkHttp GET with the apikey/Authorization headers (one `Request` built once and "
            + "reused), body parsed by Jackson into `ObjectNode`s. The diagnostic rows give the raw side a per-call "
            + "timeout, or have it build its URL per call with `HttpUrl.Builder`. holdfast: `client.from(\"bench_items\").select(\"id,name,qty\").gt(\"qty\", 5)"
            + ".execute().rows()` on the same OkHttpClient; and, for information, the whole stack "
            + "(`Repository.find` over `PostgrestBackend`: guard, request, parsing, mapping to records). %,d calls "
            + "per side after %,d warm-up calls, one thread, the two sides alternating call by call.",
            BODY_ROWS, CALLS, WARMUP));
        md.table("Compared with raw (same run)", "raw mean / p50 / p99 (µs)", "holdfast mean / p50 / p99 (µs)",
                "mean ratio", "p50 ratio")
            .row("`PostgrestClient` request", stats(vsClient[0]), stats(vsClient[1]), ratio(vsClient, false),
                ratio(vsClient, true))
            .row("`Repository.find` (whole stack)", stats(vsRepo[0]), stats(vsRepo[1]), ratio(vsRepo, false),
                ratio(vsRepo, true))
            .row("diagnostic: `PostgrestClient` vs raw with the same per-call timeout", stats(vsTimed[0]),
                stats(vsTimed[1]), ratio(vsTimed, false), ratio(vsTimed, true))
            .row("diagnostic: `PostgrestClient` vs raw building its URL per call", stats(vsUrl[0]), stats(vsUrl[1]),
                ratio(vsUrl, false), ratio(vsUrl, true))
            .end();
        // Issue 12's goal: both the client and the whole Repository.find stack within 1.10x raw, by mean and p50.
        md.paragraph(goal("the client", vsClient) + " " + goal("`Repository.find`", vsRepo));
        return md.toString();
      }
    }
  }

  private static String goal(String who, Measure.Latencies[] l) {
    double mean = l[1].meanMicros() / l[0].meanMicros();
    double p50 = l[1].percentileMicros(50) / l[0].percentileMicros(50);
    return Markdown.f("**Goal: %s takes at most 1.10x the raw time per request, by mean and p50** - %.3fx by mean, "
        + "%.3fx by p50, %s.", who, mean, p50, Markdown.verdict(mean <= 1.10 && p50 <= 1.10));
  }

  private static void check(int rows) {
    if (rows != BODY_ROWS) {
      throw new IllegalStateException("expected " + BODY_ROWS + " rows, got " + rows);
    }
  }

  private static String stats(Measure.Latencies l) {
    return Markdown.f("%.1f / %.1f / %.1f", l.meanMicros(), l.percentileMicros(50), l.percentileMicros(99));
  }

  private static String ratio(Measure.Latencies[] l, boolean median) {
    return Markdown.f("%.3f", median ? l[1].percentileMicros(50) / l[0].percentileMicros(50)
        : l[1].meanMicros() / l[0].meanMicros());
  }
}
