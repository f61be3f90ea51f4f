package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DoctorTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void explainsThePoolerUserNameWithoutShowingThePassword() {
    int status = Doctor.run(new String[] {
        "postgresql://postgres:hunter2@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"}, out);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).isEqualTo(1);
    assertThat(text).contains("postgres.").doesNotContain("hunter2");
  }

  @Test
  void describesAMalformedStringWithoutShowingAnyOfIt() {
    int status = Doctor.run(new String[] {"postgresql://u:hunter2@host:notaport/db"}, out);
    assertThat(status).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2").doesNotContain("notaport")
        .contains("not shown").contains("ERROR [syntax.port] The port is not a number");
  }

  @Test
  void namesAPasswordWithAnUnencodedSlashWithoutQuotingIt() {
    int status = Doctor.run(new String[] {"postgresql://postgres:hun/ter2@db.example.com:5432/postgres"}, out);
    assertThat(status).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[uri.password-reserved]").contains("%2F")
        .doesNotContain("hun/").doesNotContain("ter2");
  }

  @Test
  void connectModeReportsAFailedConnectionAsAnError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int status = Doctor.run(new String[] {"postgresql://postgres:hunter2@127.0.0.1:" + port + "/postgres",
        "--connect"}, out);
    assertThat(status).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("PROBLEMS")
        .contains("ERROR [network.refused] Nothing accepted the connection at 127.0.0.1:" + port)
        .doesNotContain("hunter2");
  }

  @Test
  void connectModeSaysOkForAServerThatAnswers() {
    int status = Doctor.run(new String[] {TestPostgres.createDatabase().uri(), "--connect"}, out);
    assertThat(status).isEqualTo(0);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(": OK").contains("Connected to PostgreSQL");
  }

  @Test
  void printsUsageWithoutArguments() {
    assertThat(Doctor.run(new String[0], out)).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("usage:");
  }
}
