package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Distinctive passwords, with and without the reserved characters that break URIs, through every string of the
 * corpus and through real failed connections; everything the parser, the doctor, the construction check, the
 * classifier and the log produce is scanned for any four characters in a row of a password.
 */
class DoctorSecretsTest {
  record Thing(Long id) {}

  static final List<String> PASSWORDS = List.of("Ux7Jk3Pd9Wz", "Zq9Wx/Kw7Rt?Tv4Np", "Lm3Px@Rb8Yq#Hs2Ke",
      "Hy6Wn:Qc2Fd&Mb5Gt", "Qp5Vd%Js4Lx!Ra9Cz", "Fg1Tz[Ne7Uw]Ko3Di", "Ab8Cd 'Ef2Gh");

  @BeforeAll
  static void roleThatNeedsAPassword() {
    // ConnectFailFastTest's role; its pg_hba.conf rule makes the embedded server check passwords.
    TestDatabase.existing(TestPostgres.port(), "postgres", "postgres").execute("DO $$ BEGIN IF NOT EXISTS "
        + "(SELECT FROM pg_roles WHERE rolname = 'failfast') THEN CREATE ROLE failfast LOGIN PASSWORD "
        + "'right-Kp4w'; END IF; END $$");
  }

  @Test
  void noPartOfAPasswordAppearsInWhatTheParserDoctorOrConstructionCheckSay() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      for (String password : PASSWORDS) {
        for (String input : inputs(password)) {
          String out = everythingSaidAbout(input);
          assertNoPartOf(password, out, input);
        }
      }
    } finally {
      System.setErr(err);
    }
    for (String password : PASSWORDS) {
      assertNoPartOf(password, log.toString(StandardCharsets.UTF_8), "the log");
    }
  }

  @Test
  void noPartOfAPasswordAppearsWhenARealConnectionFails() {
    ResiliencePolicy once = ResiliencePolicy.builder().maxAttempts(1).attemptTimeout(Duration.ofMillis(500))
        .build();
    Table<Thing, Long> things = Table.builder("things", Thing.class, Long.class).build();
    for (String password : PASSWORDS) {
      String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
      for (String url : List.of(
          "postgresql://failfast:" + encoded + "@127.0.0.1:" + TestPostgres.port() + "/postgres",
          "postgresql://postgres:" + encoded + "@127.0.0.1:" + TestPostgres.port() + "/postgres?sslmode=require",
          "postgresql://postgres:" + encoded + "@127.0.0.1:1/postgres")) {
        StringBuilder out = new StringBuilder();
        out.append(ConnectionDoctor.diagnose(url, Duration.ofSeconds(5)));
        try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).build()).policy(once).build()) {
          Throwable failure = catchThrowable(() -> db.repository(things).count(Filter.all()));
          out.append(trace(failure)).append(ConnectionDoctor.explain(failure));
          out.append(new SqlStateClassifier().classify(failure.getCause(), "jdbc").map(DoctorSecretsTest::trace)
              .orElse(""));
        }
        assertNoPartOf(password, out.toString(), url.replace(encoded, "<password>"));
      }
    }
  }

  /** The corpus's strings with this password, raw and percent-encoded, plus the places a password is pasted. */
  private static List<String> inputs(String password) {
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
    List<String> out = new ArrayList<>();
    ConnectionStringCorpusTest.corpus().map(ConnectionStringCorpusTest.Case::input)
        .filter(i -> i.contains(ConnectionStringCorpusTest.PW))
        .forEach(i -> Stream.of(password, encoded).forEach(p -> out.add(i.replace(ConnectionStringCorpusTest.PW, p))));
    out.addAll(List.of(password, encoded, " " + password + " ", "password=" + password,
        "postgresql://app:" + password + "@db.example.com:5432/app",
        "postgresql://app:" + password,
        "postgresql://app:" + password + "@",
        "postgresql://app@db.example.com/app?password=" + password,
        "jdbc:postgresql://db.example.com:5432/app;password=" + password,
        "jdbc:postgresql://db.example.com:5432/app;password=" + encoded + ";user=app",
        "jdbc:postgresql://db.example.com/app?user=app&password=" + password,
        "host=db.example.com user=app password=" + password,
        "host=db.example.com user=app password='" + password.replace("'", "\\'") + "'",
        "host=db.example.com user=app password='" + password,
        "postgresql+asyncpg://app:" + password + "@db.example.com/app",
        "jdbc:mysql://db.example.com/app?password=" + password,
        "https://app:" + password + "@abcdefghijklmnopqrst.supabase.co/rest/v1"));
    return out;
  }

  private static String everythingSaidAbout(String input) {
    StringBuilder out = new StringBuilder();
    ConnectionDoctor.Report report = ConnectionDoctor.check(input);
    out.append(report).append(report.connection());
    report.findings().forEach(f -> out.append(f.message()).append(f.advice()));
    Throwable parse = catchThrowable(() -> out.append(ConnectionString.parse(input)));
    out.append(trace(parse));
    if (report.findings().stream().anyMatch(f -> f.severity() == ConnectionDoctor.Severity.ERROR)) {
      // Building the others would open pools to hosts that do not exist; the error cases fail before that.
      out.append(trace(catchThrowable(() -> JdbcBackend.builder(input).build().close())));
    } else if (input.contains("db.example.com") || input.contains("127.0.0.1")) {
      try (JdbcBackend backend = JdbcBackend.builder(input).build()) {
        out.append(backend).append(backend.connectionString());
      }
    }
    return out.toString();
  }

  private static String trace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w + String.valueOf(t);
  }

  private static void assertNoPartOf(String password, String output, String where) {
    for (int i = 0; i + 4 <= password.length(); i++) {
      String part = password.substring(i, i + 4);
      assertThat(output).as("a part of the password (%s) in what was said about %s", part, where)
          .doesNotContain(part);
    }
  }
}
