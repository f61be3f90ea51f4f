package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
  void rejectsAMalformedStringWithTheStringMasked() {
    int status = Doctor.run(new String[] {"postgresql://u:hunter2@host:notaport/db"}, out);
    assertThat(status).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2").contains("****");
  }

  @Test
  void printsUsageWithoutArguments() {
    assertThat(Doctor.run(new String[0], out)).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("usage:");
  }
}
