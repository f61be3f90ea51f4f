package dev.holdfast.spring;

import static dev.holdfast.spring.Fixtures.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.TokenSupplier;
import dev.holdfast.spring.Fixtures.Task;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.MockPostgrestCall;
import dev.holdfast.testkit.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter with PostgREST alone: holdfast-jdbc, HikariCP, pgjdbc and Spring JDBC hidden from the class path. */
class PostgrestOnlyTest {
  private MockPostgrest postgrest;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader("dev.holdfast.jdbc", "com.zaxxer.hikari", "org.postgresql",
            "org.springframework.jdbc", "org.springframework.boot.jdbc"))
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            HoldfastJdbcAutoConfiguration.class, HoldfastPostgrestAutoConfiguration.class,
            HoldfastAutoConfiguration.class, HoldfastHealthAutoConfiguration.class))
        .withPropertyValues("holdfast.postgrest.url=" + postgrest.url(), "holdfast.postgrest.api-key=anon-key-123",
            "holdfast.postgrest.schema=public", "holdfast.resilience.max-attempts=2");
  }

  @BeforeEach
  void start() {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "tasks").column("id", "bigint").column("title", "text")
        .column("done", "boolean").column("created_at", "timestamptz").defaultValue("done", false).build());
    postgrest = MockPostgrest.start(db);
  }

  @AfterEach
  void stop() {
    postgrest.close();
  }

  @Test
  void worksWithoutJdbcOnTheClassPath() {
    runner().withUserConfiguration(Tables.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(Holdfast.class).hasBean("postgrestHoldfast");
      Holdfast db = context.getBean(Holdfast.class);
      assertThat(db.backend()).isInstanceOf(PostgrestBackend.class);
      assertThat(db.guard().policy().maxAttempts()).isEqualTo(2);
      @SuppressWarnings("unchecked")
      Repository<Task, Long> tasks = context.getBean("tasksRepository", Repository.class);
      tasks.insert(new Task(null, "over PostgREST", false, null));
      assertThat(tasks.count(Filter.all())).isEqualTo(1);

      MockPostgrestCall call = postgrest.journal("HEAD", "/tasks").get(0);
      assertThat(call.header("apikey")).contains("anon-key-123");
      assertThat(call.header("Accept-Profile")).contains("public");
      assertThat(call.header("Authorization")).contains("Bearer user-jwt");

      CompositeHealthContributor health = context.getBean("holdfastHealthContributor",
          CompositeHealthContributor.class);
      assertThat(((HealthIndicator) health.getContributor("postgrest")).health().getStatus()).isEqualTo(Status.UP);
      assertThat(context.getBean(HoldfastProperties.class).getPostgrest().toString()).doesNotContain("anon-key-123");
    });
  }

  @Test
  void usesTheNamedTokenSupplierBean() {
    runner().withUserConfiguration(Tables.class, SecondToken.class)
        .withPropertyValues("holdfast.postgrest.token-supplier=serviceToken").run(context -> {
          context.getBean(Holdfast.class).repository(TASKS).count(Filter.all());
          MockPostgrestCall call = postgrest.journal("HEAD", "/tasks").get(0);
          assertThat(call.header("Authorization")).contains("Bearer service-jwt");
        });
  }

  @Test
  void closesItsClientWhenTheContextCloses() {
    Holdfast[] seen = new Holdfast[1];
    runner().run(context -> seen[0] = context.getBean(Holdfast.class));
    assertThat(seen[0].health(java.time.Duration.ofSeconds(1)).detail()).isEqualTo("closed");
  }

  @Test
  void failsFastWithTheFindingWhenPostgrestDoesNotAnswer() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    runner().withPropertyValues("holdfast.postgrest.url=http://127.0.0.1:" + closed + "/rest/v1",
        "holdfast.startup.fail-fast=true").run(context -> {
          assertThat(context).hasFailed();
          org.springframework.boot.diagnostics.FailureAnalysis analysis = new HoldfastFailureAnalyzer()
              .analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).startsWith("holdfast could not reach its postgrest backend")
              .contains("127.0.0.1:" + closed).doesNotContain("anon-key-123");
          assertThat(analysis.getAction()).contains("holdfast.postgrest.url").contains("holdfast.startup.fail-fast");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class Tables {
    @Bean
    Table<Task, Long> tasks() {
      return TASKS;
    }

    @Bean
    TokenSupplier userToken() {
      return () -> "user-jwt";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SecondToken {
    @Bean
    TokenSupplier serviceToken() {
      return () -> "service-jwt";
    }
  }
}
