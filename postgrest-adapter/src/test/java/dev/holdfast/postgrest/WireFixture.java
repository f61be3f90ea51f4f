package dev.holdfast.postgrest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh MockWebServer per test and a client of it at {@code /rest/v1}. */
abstract class WireFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "sb_publishable_abcdefghijklmnop";

  MockWebServer server;
  PostgrestClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    client = clientBuilder().build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.close();
  }

  PostgrestClient.Builder clientBuilder() {
    return PostgrestClient.builder(server.url("/rest/v1").toString()).apiKey(KEY);
  }

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json; charset=utf-8")
        .body(body).build();
  }

  static MockResponse error(int status, String code, String message, String details, String hint) {
    ObjectNode body = JSON.createObjectNode().put("code", code).put("message", message).put("details", details)
        .put("hint", hint);
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json; charset=utf-8")
        .setHeader("Proxy-Status", "PostgREST; error=" + code).body(body.toString()).build();
  }

  static ObjectNode row(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived");
    }
    return r;
  }
}
