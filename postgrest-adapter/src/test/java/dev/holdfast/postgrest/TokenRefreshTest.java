package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRefreshTest extends WireFixture {
  /** Hands out token-1, token-2, ... and records which tokens were refreshed. */
  private static final class Tokens implements TokenSupplier {
    private int issued = 1;
    final List<String> rejected = new ArrayList<>();

    @Override
    public synchronized String get() {
      return "token-" + issued;
    }

    @Override
    public synchronized String refresh(String rejectedToken) {
      rejected.add(rejectedToken);
      issued++;
      return get();
    }
  }

  @Test
  void refreshesAnExpiredTokenAndSendsTheRequestAgainOnce() throws Exception {
    Tokens tokens = new Tokens();
    client.close();
    client = clientBuilder().tokenSupplier(tokens).build();
    server.enqueue(error(401, "PGRST303", "JWT expired", null, null));
    server.enqueue(json(201, "[{\"id\":1}]"));

    PostgrestResponse response = client.from("t").insert(row("{\"id\":1}")).select("id").execute();

    assertThat(response.status()).isEqualTo(201);
    assertThat(tokens.rejected).containsExactly("token-1");
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void givesUpWhenTheRefreshedTokenIsRejectedToo() {
    Tokens tokens = new Tokens();
    client.close();
    client = clientBuilder().tokenSupplier(tokens).build();
    server.enqueue(error(401, "PGRST301", "JWSError JWSInvalidSignature", null, null));
    server.enqueue(error(401, "PGRST301", "JWSError JWSInvalidSignature", null, null));

    assertThatThrownBy(() -> client.from("t").select("*").execute()).isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("token-");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void refreshesWhenAGatewayChallengesWithInvalidToken() {
    Tokens tokens = new Tokens();
    client.close();
    client = clientBuilder().tokenSupplier(tokens).build();
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(401)
        .setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"JWT expired\"")
        .body("{\"message\":\"JWT expired\"}").build());
    server.enqueue(json(200, "[]"));

    assertThat(client.from("t").select("*").execute().status()).isEqualTo(200);
    assertThat(tokens.rejected).containsExactly("token-1");
  }

  @Test
  void doesNotRefreshForOtherUnauthorizedAnswers() {
    Tokens tokens = new Tokens();
    client.close();
    client = clientBuilder().tokenSupplier(tokens).build();
    server.enqueue(error(401, "PGRST302", "Anonymous access is disabled", null, null));

    assertThatThrownBy(() -> client.from("t").select("*").execute()).isInstanceOf(ConfigurationException.class);
    assertThat(tokens.rejected).isEmpty();
  }
}
