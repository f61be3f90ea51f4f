package dev.holdfast.testkit;

import dev.holdfast.testkit.conformance.ConformanceFixtures;
import okhttp3.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void run() throws Exception {
    String[][] reqs = {
      {"GET", "/notes", null, "authenticated", "u1"},
      {"POST", "/notes?on_conflict=id", "{\"id\":2,\"owner\":\"u1\",\"body\":\"steal\"}", "authenticated", "u1", "resolution=merge-duplicates"},
      {"POST", "/notes?on_conflict=id", "{\"id\":1,\"owner\":\"u1\",\"body\":\"mine2\"}", "authenticated", "u1", "resolution=merge-duplicates,return=representation"},
      {"PUT", "/notes?id=eq.5", "{\"id\":5,\"owner\":\"u1\",\"body\":\"put\"}", "authenticated", "u1", "return=representation"},
      {"DELETE", "/notes?id=eq.2", null, "authenticated", "u1", "return=representation"},
      {"DELETE", "/notes", null, "authenticated", "u1", "count=exact"},
      {"GET", "/notes", null, "service_role", null},
      {"HEAD", "/notes", null, "anon", null},
      {"GET", "/secrets", null, "service_role", null},
      {"PATCH", "/notes?id=eq.1", "{\"body\":\"x\"}", "authenticated", "u1", "return=headers-only"},
    };
    try (MockPostgrest p = ConformanceFixtures.start("auth")) {
      OkHttpClient http = new OkHttpClient();
      for (String[] r : reqs) {
        Request.Builder b = new Request.Builder().url(p.url() + r[1]).method(r[0], r[2] != null ? RequestBody.create(r[2], MediaType.get("application/json")) : null);
        if (r.length > 5) b.header("Prefer", r[5]);
        if (!r[3].equals("anon")) {
          java.util.Map<String, Object> claims = new java.util.HashMap<>();
          claims.put("role", r[3]);
          if (r[4] != null) claims.put("sub", r[4]);
          b.header("Authorization", "Bearer " + p.jwt(claims));
        }
        try (Response resp = http.newCall(b.build()).execute()) {
          String body = resp.body().string();
          System.out.println(r[0] + " " + r[1] + " -> " + resp.code() + " " + resp.headers().toMultimap() + " " + (body.length() > 300 ? body.substring(0, 300) : body));
        }
      }
    }
  }
}
