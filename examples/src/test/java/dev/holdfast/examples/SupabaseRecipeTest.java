package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testkit.PgBouncer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SupabaseRecipeTest {
  @Test
  void runsThePoolerAndRestConfigurationsAgainstLocalStandIns() throws Exception {
    PgBouncer.assumeInstalled();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SupabaseRecipe.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String story = bytes.toString(StandardCharsets.UTF_8);

    assertThat(story)
        .contains("pooler.supabase.com:6543/postgres?sslmode=require: OK")
        .contains("ERROR [supabase.pooler.user]")
        .contains("24 statements over 2 server connections")
        .contains(": 12 notes")
        .contains("pooler self-test: Result[safe=true")
        .contains("notes of ada: [Note[id=1, body=from the REST side, owner=ada]]")
        .contains("Authorization=Bearer ...")
        .contains("apiKey=****, token=****")
        .contains("rpc archive_notes -> 3")
        .doesNotContain("s3cret").doesNotContain("eyJ");
  }

  @Test
  void buildsThePoolerUrlWithTheProjectUser() {
    assertThat(SupabaseRecipe.poolerUrl("ref", "us-east-1", "pw"))
        .isEqualTo("postgresql://postgres.ref:pw@aws-0-us-east-1.pooler.supabase.com:6543/postgres?sslmode=require");
  }
}
