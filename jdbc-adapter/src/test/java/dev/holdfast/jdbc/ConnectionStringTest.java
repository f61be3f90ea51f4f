package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionStringTest {
  @Test
  void parsesSupabasesPoolerUri() {
    ConnectionString cs = ConnectionString.parse(
        "postgresql://postgres.abcdefghijklmnopqrst:s3cr%40t@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"
            + "?sslmode=require");
    assertThat(cs.format()).isEqualTo(ConnectionString.Format.URI);
    assertThat(cs.host()).isEqualTo("aws-0-eu-west-1.pooler.supabase.com");
    assertThat(cs.port()).isEqualTo(6543);
    assertThat(cs.user()).contains("postgres.abcdefghijklmnopqrst");
    assertThat(cs.password()).contains("s3cr@t");
    assertThat(cs.sslMode()).contains("require");
    assertThat(cs.toJdbcUrl()).isEqualTo("jdbc:postgresql://aws-0-eu-west-1.pooler.supabase.com:6543/postgres");
    assertThat(cs.toString()).doesNotContain("s3cr").contains("postgres.abcdefghijklmnopqrst:****@");
  }

  @Test
  void parsesJdbcUrlsWithCredentialsInTheQuery() {
    ConnectionString cs = ConnectionString.parse(
        "jdbc:postgresql://db.example.com/app?user=app&password=hunter2&ApplicationName=x");
    assertThat(cs.format()).isEqualTo(ConnectionString.Format.JDBC_URL);
    assertThat(cs.port()).isEqualTo(5432);
    assertThat(cs.database()).isEqualTo("app");
    assertThat(cs.user()).contains("app");
    assertThat(cs.password()).contains("hunter2");
    assertThat(cs.parameters()).containsOnlyKeys("ApplicationName");
    assertThat(cs.toString()).doesNotContain("hunter2");
  }

  @Test
  void parsesLibpqKeyValueWithQuotedValues() {
    ConnectionString cs = ConnectionString.parse(
        "host=localhost port=5433 dbname=app user=me password='it\\'s a secret' sslmode=disable");
    assertThat(cs.format()).isEqualTo(ConnectionString.Format.KEY_VALUE);
    assertThat(cs.port()).isEqualTo(5433);
    assertThat(cs.password()).contains("it's a secret");
    assertThat(cs.sslMode()).contains("disable");
    assertThat(cs.toString()).doesNotContain("secret");
  }

  @Test
  void parsesIpv6HostsAndDefaultsTheDatabaseToTheUser() {
    ConnectionString cs = ConnectionString.parse("postgresql://alice@[2001:db8::1]:5433");
    assertThat(cs.host()).isEqualTo("2001:db8::1");
    assertThat(cs.port()).isEqualTo(5433);
    assertThat(cs.database()).isEqualTo("alice");
    assertThat(cs.toJdbcUrl()).isEqualTo("jdbc:postgresql://[2001:db8::1]:5433/alice");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "postgresql://user:hunter2@host:notaport/db",
      "postgresql://user:hunter2@host:99999/db",
      "postgresql://user:hunter2@ho st/db",
      "jdbc:mysql://user:hunter2@host/db",
      "host=h password='hunter2",
      "just some text hunter2",
      "postgresql://user:hunter2@[::1/db",
      "postgresql://user:hun%zzter2@host/db"})
  void rejectsMalformedStringsWithTheirPasswordMasked(String malformed) {
    assertThatThrownBy(() -> ConnectionString.parse(malformed)).isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("hun%zz");
          assertThat(((InvalidRequestException) e).hint()).isNotEmpty();
        });
  }

  @Test
  void malformedStringsShowWhatWasWrong() {
    assertThatThrownBy(() -> ConnectionString.parse("postgresql://u:pw@host:abc/db"))
        .hasMessageContaining("port").hasMessageNotContaining("host").hasMessageNotContaining("abc");
    assertThatThrownBy(() -> ConnectionString.parse("  ")).hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Wq7Rt/Ls4Vp", "Wq7Rt?Ls4Vp", "Wq7Rt@Ls4Vp", "Wq7Rt#Ls4Vp", "Wq7Rt:Ls4Vp"})
  void aPasswordWithAnUnencodedReservedCharacterIsDetectedAndNeverQuoted(String password) {
    String url = "postgresql://app:" + password + "@db.example.com:5432/app";
    ConnectionDoctor.Report report = ConnectionDoctor.check(url);
    assertThat(report.findings()).anySatisfy(f -> {
      assertThat(f.topic()).startsWith("uri.password-");
      assertThat(f.advice()).startsWith("Percent-encode the password's reserved characters");
    });
    assertThat(report.toString()).doesNotContain("Wq7R").doesNotContain("Ls4V");
    Throwable parse = org.assertj.core.api.Assertions.catchThrowable(() -> ConnectionString.parse(url));
    if (parse != null) {
      assertThat(parse.getMessage()).doesNotContain("Wq7R").doesNotContain("Ls4V");
    } else {
      assertThat(ConnectionString.parse(url).password()).contains(password);
    }
  }

  @Test
  void semicolonPropertiesInAJdbcUrlAreReadAsPropertiesAndThePasswordIsMasked() {
    ConnectionString cs = ConnectionString.parse("jdbc:postgresql://db.example.com:5432/app;user=app;"
        + "password=Wq7Rt?Ls4/Vp;sslmode=require");
    assertThat(cs.database()).isEqualTo("app");
    assertThat(cs.user()).contains("app");
    assertThat(cs.password()).contains("Wq7Rt?Ls4/Vp");
    assertThat(cs.sslMode()).contains("require");
    assertThat(cs.toString()).isEqualTo("postgresql://app:****@db.example.com:5432/app?sslmode=require");
    assertThat(cs.toJdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/app");
  }

  @Test
  void anInputThatIsNoConnectionStringIsDescribedNeverEchoed() {
    ConnectionDoctor.Report report = ConnectionDoctor.check("Wq7Rt-Ls4Vp-Xn2Mc");
    assertThat(report.connection()).isEqualTo("(text of 17 characters that does not parse; not shown)");
    assertThat(report.toString()).doesNotContain("Wq7R").doesNotContain("Ls4V").doesNotContain("Xn2M");
  }

  @Test
  void queryParametersOverrideThePartsBeforeThemAsInLibpq() {
    ConnectionString cs = ConnectionString.parse("postgresql://a:p1@host-a:5432/db1?user=b&password=p2&host=host-b"
        + "&port=6543&dbname=db2");
    assertThat(cs.host()).isEqualTo("host-b");
    assertThat(cs.port()).isEqualTo(6543);
    assertThat(cs.user()).contains("b");
    assertThat(cs.password()).contains("p2");
    assertThat(cs.database()).isEqualTo("db2");
    assertThat(cs.parameters()).isEmpty();
  }
}
