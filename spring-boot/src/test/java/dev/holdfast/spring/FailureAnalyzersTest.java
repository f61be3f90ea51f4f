package dev.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Holdfast;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

class FailureAnalyzersTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class));

  @BeforeAll
  static void createDatabase() {
    database = Fixtures.database();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Test
  void refusesSpringsPoolBehindARealTransactionPoolerAndNamesTheProperty() {
    PgBouncer.assumeInstalled();
    try (PgBouncer bouncer = PgBouncer.start(database, PgBouncer.PoolMode.TRANSACTION, 2)) {
      String url = "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/" + database.name() + "?user=postgres";
      runner.withPropertyValues("spring.datasource.url=" + url).run(context -> {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new PreparedStatementsFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("transaction-mode pooler").contains("prepareThreshold=5");
        assertThat(analysis.getAction()).contains("Set " + PreparedStatementsFailureAnalyzer.PROPERTY);
      });
      runner.withPropertyValues("spring.datasource.url=" + url,
          "spring.datasource.hikari.data-source-properties.prepareThreshold=0").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Holdfast.class).repository(Fixtures.TASKS)
                .count(dev.holdfast.Filter.all())).isGreaterThanOrEqualTo(0);
          });
    }
  }

  @Test
  void refusesAPoolWhoseUrlNamesTheTransactionPoolerPortWithoutConnecting() {
    runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:6543/postgres").run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = new PreparedStatementsFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getAction()).contains(PreparedStatementsFailureAnalyzer.PROPERTY);
    });
  }

  @Test
  void startsWhileTheDatabaseIsDownUnlessFailFastIsOn() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closed + "/postgres?user=postgres&prepareThreshold=0";
    runner.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.hikari.connection-timeout=250",
        "holdfast.jdbc.pooler-check-timeout=500ms").run(context -> assertThat(context).hasNotFailed());
    runner.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.hikari.connection-timeout=250",
        "holdfast.jdbc.pooler-check-timeout=500ms", "holdfast.startup.fail-fast=true",
        "holdfast.startup.timeout=3s").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isNotNull();
          FailureAnalysis analysis = new HoldfastFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).startsWith("holdfast could not reach its jdbc backend at startup: ")
              .contains("127.0.0.1:" + closed).contains("[network.refused]");
          assertThat(analysis.getAction()).contains("Check that the server is running")
              .contains("holdfast.startup.fail-fast=false").contains("spring.datasource.url");
          assertThat(new PreparedStatementsFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
        });
  }

  @Test
  void explainsAConnectionStringTheDoctorCallsWrong() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class))
        .withPropertyValues("holdfast.jdbc.url=postgresql://postgres:secret-pw@db.supabase.co:5432/postgres")
        .run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = new HoldfastFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("db.supabase.co lacks the project ref")
              .doesNotContain("secret-pw");
          assertThat(analysis.getAction()).contains("db.<project-ref>.supabase.co").contains("holdfast.jdbc.url");
        });
  }

  @Test
  void registersBothAnalyzersForSpringBoot() throws java.io.IOException {
    java.util.List<String> registered = new java.util.ArrayList<>();
    java.util.Enumeration<java.net.URL> files = getClass().getClassLoader()
        .getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION);
    while (files.hasMoreElements()) {
      try (java.io.InputStream in = files.nextElement().openStream()) {
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        String names = p.getProperty(FailureAnalyzer.class.getName(), "");
        for (String n : names.split(",")) {
          registered.add(n.trim());
        }
      }
    }
    assertThat(registered).contains(PreparedStatementsFailureAnalyzer.class.getName(), HoldfastFailureAnalyzer.class.getName());
  }
}
