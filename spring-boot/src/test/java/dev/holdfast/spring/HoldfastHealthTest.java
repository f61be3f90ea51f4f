package dev.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.ForwardingBackend;
import dev.holdfast.testkit.InMemoryBackend;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class HoldfastHealthTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class,
          HoldfastHealthAutoConfiguration.class));

  @BeforeAll
  static void createDatabase() {
    database = Fixtures.database();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  private static Health health(CompositeHealthContributor composite, String name) {
    return ((HealthIndicator) composite.getContributor(name)).health();
  }

  @Test
  void reportsTheJdbcBackendUpWithItsDetails() {
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
        "spring.datasource.hikari.data-source-properties.prepareThreshold=0").run(context -> {
          CompositeHealthContributor holdfast = context.getBean("holdfastHealthContributor",
              CompositeHealthContributor.class);
          Health health = health(holdfast, "jdbc");
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("holdfast", "UP").containsEntry("circuit", "CLOSED")
              .containsEntry("backend", "jdbc").containsKey("serverVersion").containsKey("latency");
          assertThat((String) health.getDetails().get("detail")).startsWith("PostgreSQL ");
        });
  }

  @Test
  void reportsDownWhenTheDatabaseIsUnplugged() {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", database.port())) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name() + "?user=postgres";
      runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
          .withPropertyValues("spring.datasource.url=" + url,
          "spring.datasource.hikari.data-source-properties.prepareThreshold=0",
          "spring.datasource.hikari.connection-timeout=250", "holdfast.health.timeout=1s").run(context -> {
            CompositeHealthContributor holdfast = context.getBean("holdfastHealthContributor",
                CompositeHealthContributor.class);
            assertThat(health(holdfast, "jdbc").getStatus()).isEqualTo(Status.UP);
            proxy.refuseNewConnections();
            proxy.resetAll();
            context.getBean(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
            Health down = health(holdfast, "jdbc");
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("holdfast", "DOWN");
          });
    }
  }

  @Test
  void mapsDegradedToUpByDefaultAndToTheConfiguredStatus() {
    runner.withUserConfiguration(DegradedBackends.class).run(context -> {
      CompositeHealthContributor holdfast = context.getBean("holdfastHealthContributor",
          CompositeHealthContributor.class);
      Health degraded = health(holdfast, "degraded");
      assertThat(degraded.getStatus()).isEqualTo(Status.UP);
      assertThat(degraded.getDetails()).containsEntry("holdfast", "DEGRADED").containsEntry("detail", "slow");
      assertThat(health(holdfast, "healthy").getStatus()).isEqualTo(Status.UP);
    });
    runner.withUserConfiguration(DegradedBackends.class).withPropertyValues("holdfast.health.degraded-status=DEGRADED")
        .run(context -> {
          CompositeHealthContributor holdfast = context.getBean("holdfastHealthContributor",
              CompositeHealthContributor.class);
          assertThat(health(holdfast, "degraded").getStatus()).isEqualTo(new Status("DEGRADED"));
        });
  }

  @Test
  void canBeSwitchedOff() {
    runner.withUserConfiguration(DegradedBackends.class).withPropertyValues("management.health.holdfast.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("holdfastHealthContributor"));
  }

  @Test
  void isAbsentWithoutAHoldfast() {
    runner.run(context -> assertThat(context).doesNotHaveBean("holdfastHealthContributor"));
  }

  /** Two Holdfast beans over the same kind of backend: the contributors are named after the beans. */
  @Configuration(proxyBeanMethods = false)
  static class DegradedBackends {
    @Bean
    Holdfast degraded() {
      return Holdfast.builder(new ForwardingBackend(new InMemoryBackend(new InMemoryDatabase())) {
        @Override
        public HealthReport check(Duration timeout) {
          return new HealthReport(HealthReport.Status.DEGRADED, Duration.ofMillis(900), "slow", Map.of());
        }
      }).build();
    }

    @Bean
    Holdfast healthy() {
      return Holdfast.builder(new InMemoryBackend(new InMemoryDatabase())).build();
    }
  }
}
