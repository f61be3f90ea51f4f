package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void masksPasswordInLibpqUri() {
    assertThat(Secrets.redact("postgresql://postgres.abcd:hunter2@aws-0-eu.pooler.supabase.com:6543/postgres"))
        .isEqualTo("postgresql://postgres.abcd:****@aws-0-eu.pooler.supabase.com:6543/postgres");
  }

  @Test
  void masksPasswordInJdbcUrlParameters() {
    assertThat(Secrets.redact("jdbc:postgresql://h:5432/db?user=app&password=s3cr%3Dt&sslmode=require"))
        .isEqualTo("jdbc:postgresql://h:5432/db?user=app&password=****&sslmode=require");
  }

  @Test
  void masksQuotedPasswordInKeyValueString() {
    assertThat(Secrets.redact("host=h port=6543 password='a b c' dbname=postgres"))
        .isEqualTo("host=h port=6543 password=**** dbname=postgres");
  }

  @Test
  void masksJwtsBearerTokensAndApiKeys() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl";
    assertThat(Secrets.redact("Authorization: Bearer " + jwt)).isEqualTo("Authorization: Bearer ****");
    assertThat(Secrets.redact("token " + jwt + " rejected")).isEqualTo("token **** rejected");
    assertThat(Secrets.redact("apikey: sb_secret_abc123XYZ")).doesNotContain("abc123XYZ");
    assertThat(Secrets.redact("{\"apikey\":\"k-123\"}")).doesNotContain("k-123");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "relation \"public.tasks\" does not exist at postgresql://host:5432/db";
    assertThat(Secrets.redact(text)).isEqualTo(text);
    assertThat(Secrets.redact(null)).isNull();
  }

  @Test
  void exceptionMessagesNeverCarryTheSecret() {
    var e = new ConfigurationException("cannot connect to postgresql://u:pw123@h/db",
        ErrorDetails.of("jdbc").withHint("check password=pw123"), null);
    assertThat(e.getMessage()).doesNotContain("pw123").contains("postgresql://u:****@h/db");
    assertThat(e.hint()).doesNotContain("pw123");
    assertThat(e.toString()).doesNotContain("pw123");
  }
}
