package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.Call;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Guard;
import dev.holdfast.ManualScheduler;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialCheckTest extends WireFixture {
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.ZmFrZS1zaWduYXR1cmUtMTIz";
  private static final String SECRET_KEY = "sb_secret_Xq7Zp9Lm2Vn4Bc6Dk8Fh";

  /** Everything a person could see of {@code t}: message, toString, stack trace with causes and suppressed. */
  static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out + "\n" + t;
  }

  @Test
  void anApiKeyThatCannotBeAHeaderFailsAtBuildWithoutShowingIt() {
    for (String bad : List.of(SECRET_KEY + "\r\nX-Evil: 1", SECRET_KEY + "\n", "ключ" + SECRET_KEY,
        SECRET_KEY + "\u0000", " " + SECRET_KEY, "")) {
      Throwable e = catchThrowable(() -> PostgrestClient.builder(server.url("/").toString()).apiKey(bad).build());

      assertThat(e).as("key %s", bad.length()).isInstanceOf(ConfigurationException.class);
      assertThat(everything(e)).doesNotContain(SECRET_KEY).doesNotContain("Xq7Zp9");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aTokenThatCannotBeAHeaderFailsBeforeSendingWithoutShowingIt() {
    for (String bad : List.of(JWT + "\r\n", JWT + " trailing", "Bearer " + JWT, JWT + "é")) {
      client.close();
      client = clientBuilder().tokenSupplier(() -> bad).build();

      ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
          () -> client.from("t").select("*").execute());

      assertThat(e.getMessage()).contains("token supplier's get()").contains("nothing was sent");
      assertThat(everything(e)).doesNotContain(JWT).doesNotContain("ZmFrZS1zaWduYXR1cmU");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNullTokenIsAConfigurationError() {
    client.close();
    client = clientBuilder().tokenSupplier(() -> null).build();

    assertThat(catchThrowableOfType(ConfigurationException.class, () -> client.from("t").select("*").execute())
        .getMessage()).contains("is null");
  }

  @Test
  void aThrowingTokenSupplierIsAConfigurationErrorWithItsMessageRedacted() {
    IllegalStateException inner = new IllegalStateException("session for " + JWT + " expired");
    client.close();
    client = clientBuilder().tokenSupplier(() -> {
      throw new RuntimeException("cannot refresh token=" + JWT, inner);
    }).build();

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> client.from("t").select("*").execute());

    assertThat(e.getMessage()).contains("The token supplier's get() failed").contains("RuntimeException");
    assertThat(e.getCause()).hasMessageContaining("java.lang.RuntimeException").hasMessageContaining("****");
    assertThat(e.getCause().getCause()).hasMessageContaining("IllegalStateException: session for ****");
    assertThat(e.getCause().getStackTrace()).isNotEmpty();
    assertThat(everything(e)).doesNotContain(JWT).doesNotContain("ZmFrZS1zaWduYXR1cmU");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRefreshThatThrowsNeverShowsTheRejectedToken() {
    String opaque = "opaque-session-token-1234567890";
    client.close();
    client = clientBuilder().tokenSupplier(new TokenSupplier() {
      @Override
      public String get() {
        return opaque;
      }

      @Override
      public String refresh(String rejected) {
        throw new IllegalStateException("refresh of " + rejected + " refused");
      }
    }).build();
    server.enqueue(error(401, "PGRST303", "JWT expired", null, null));

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> client.from("t").select("*").execute());

    assertThat(e.getMessage()).contains("refresh() failed");
    assertThat(everything(e)).doesNotContain(opaque);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aSupplierThatSaysItIsTransientIsRetriedByTheGuard() {
    AtomicInteger asked = new AtomicInteger();
    client.close();
    client = clientBuilder().tokenSupplier(() -> {
      if (asked.incrementAndGet() == 1) {
        throw new TransientException("identity provider busy", ErrorDetails.of("auth"), null);
      }
      return JWT;
    }).build();
    server.enqueue(json(200, "[]"));

    try (Guard guard = Guard.builder("postgrest").scheduler(new ManualScheduler()).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(2).withoutCircuitBreaker().withoutRetryBudget().build())
        .build()) {
      PostgrestResponse response = guard.call(Call.write("t.insert"),
          ctx -> client.from("t").insert(row("{\"id\":1}")).execute(ctx));

      assertThat(response.status()).isEqualTo(200);
      assertThat(asked.get()).isEqualTo(2);
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void aSupplierFailingWithIoIsTransientBeforeSending() {
    client.close();
    client = clientBuilder().tokenSupplier(() -> {
      throw new UncheckedIOException(new IOException("auth server unreachable"));
    }).build();

    TransientException e = catchThrowableOfType(TransientException.class,
        () -> client.from("t").select("*").execute());

    assertThat(e.requestSent()).isFalse();
    assertThat(e.getMessage()).contains("auth server unreachable");
  }

  @Test
  void aRequestHeaderIsCheckedWithoutShowingItsValue() throws Exception {
    assertThatThrownBy(() -> client.from("t").select("*").header("X-Api-Secret", SECRET_KEY + "\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break")
        .hasMessageNotContaining(SECRET_KEY);
    assertThatThrownBy(() -> client.from("t").select("*").header("X Bad", "v"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
    for (String managed : List.of("apikey", "Authorization", "Prefer", "accept", "Range", "Content-Profile",
        "Content-Type", "Host")) {
      assertThatThrownBy(() -> client.from("t").select("*").header(managed, "x")).as(managed)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by holdfast");
    }
    server.enqueue(json(200, "[]"));

    client.from("t").select("*").header("X-Request-Id", "req-42").execute();

    assertThat(take().getHeaders().get("X-Request-Id")).isEqualTo("req-42");
  }

  @Test
  void configurationObjectsNeverShowSecrets() {
    try (PostgrestClient c = PostgrestClient.builder("https://user:hunter2pass@abc.supabase.co/rest/v1")
        .apiKey(SECRET_KEY).tokenSupplier(() -> JWT).schema("api").build();
        PostgrestBackend backend = PostgrestBackend.wrap(c)) {
      List<Object> shown = List.of(c, backend, c.from("tasks"), c.from("tasks").select("*").eq("name", "x"),
          c.rpc("f", null));
      for (Object o : shown) {
        assertThat(o.toString()).as(o.getClass().getSimpleName()).doesNotContain(SECRET_KEY)
            .doesNotContain("Xq7Zp9").doesNotContain(JWT).doesNotContain("hunter2pass");
      }
      assertThat(c.toString()).contains("apiKey=****").contains("token=****").contains("abc.supabase.co");
    }
  }
}
