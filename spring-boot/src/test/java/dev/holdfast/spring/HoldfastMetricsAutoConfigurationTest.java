package dev.holdfast.spring;

import static dev.holdfast.spring.Fixtures.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Filter;
import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import dev.holdfast.micrometer.HoldfastMetrics;
import dev.holdfast.micrometer.HoldfastObservations;
import dev.holdfast.testkit.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class HoldfastMetricsAutoConfigurationTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HoldfastMetricsAutoConfiguration.class,
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
  void recordsCallsOnTheApplicationsMeterRegistryAndObservationRegistry() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    runner.withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl())
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(ObservationRegistry.class, () -> observations)
        .run(context -> {
          assertThat(context).hasSingleBean(HoldfastMetrics.class).hasSingleBean(HoldfastObservations.class);
          context.getBean(Holdfast.class).repository(TASKS).count(Filter.all());
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.find("holdfast.calls").tag("backend", "jdbc").timer()).isNotNull();
          assertThat(registry.find("holdfast.calls").timer().count()).isEqualTo(1);
          assertThat(registry.find("holdfast.circuit.state").tag("state", "closed").gauge().value()).isEqualTo(1.0);
          io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
              .hasObservationWithNameEqualTo("holdfast.call").that().hasBeenStopped();
        });
  }

  @Test
  void backsOffForTheApplicationsOwnMetrics() {
    MeterRegistry registry = new SimpleMeterRegistry();
    HoldfastMetrics own = HoldfastMetrics.builder(registry).tags(io.micrometer.core.instrument.Tags.of("app", "a"))
        .build();
    runner.withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl())
        .withBean(MeterRegistry.class, () -> registry).withBean("ownMetrics", HoldfastMetrics.class, () -> own)
        .run(context -> {
          assertThat(context).hasSingleBean(HoldfastMetrics.class).hasBean("ownMetrics");
          context.getBean(Holdfast.class).repository(TASKS).count(Filter.all());
          assertThat(registry.find("holdfast.calls").tag("app", "a").timer().count()).isEqualTo(1);
        });
  }

  @Test
  void registersNothingWithoutRegistries() {
    runner.withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl()).run(context -> {
      assertThat(context).doesNotHaveBean(HoldfastMetrics.class).doesNotHaveBean(HoldfastObservations.class);
      assertThat(context).hasSingleBean(Holdfast.class);
    });
  }

  @Test
  void staysOffWithoutHoldfastMicrometer() {
    runner.withClassLoader(new FilteredClassLoader("dev.holdfast.micrometer"))
        .withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl())
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeansOfType(GuardListener.class)).isEmpty();
        });
  }
}
