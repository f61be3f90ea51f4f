package dev.holdfast.spring;

import static dev.holdfast.spring.Fixtures.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.spring.Fixtures.Task;
import dev.holdfast.testkit.InMemoryBackend;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class HoldfastJdbcAutoConfigurationTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          HoldfastJdbcAutoConfiguration.class, HoldfastPostgrestAutoConfiguration.class,
          HoldfastAutoConfiguration.class));

  @BeforeAll
  static void createDatabase() {
    database = Fixtures.database();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  private String[] springDataSource() {
    return new String[] {"spring.datasource.url=" + database.jdbcUrl(),
        "spring.datasource.hikari.data-source-properties.prepareThreshold=0"};
  }

  @Test
  void definesNoHoldfastWithoutUrlOrDataSource() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(Holdfast.class);
        });
  }

  @Test
  void usesTheApplicationsDataSource() {
    runner.withPropertyValues(springDataSource()).run(context -> {
      Holdfast db = context.getBean(Holdfast.class);
      assertThat(context).hasBean("jdbcHoldfast");
      assertThat(((JdbcBackend) db.backend()).dataSource()).isSameAs(context.getBean(DataSource.class));
      Task task = db.repository(TASKS).insert(new Task(null, "through Spring's pool", false, null));
      assertThat(db.repository(TASKS).findById(task.id())).isPresent();
    });
  }

  @Test
  void buildsItsOwnPoolFromTheUrlEvenBesideADataSource() {
    runner.withPropertyValues(springDataSource())
        .withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl(), "holdfast.jdbc.maximum-pool-size=3",
            "holdfast.jdbc.application-name=orders")
        .run(context -> {
          JdbcBackend backend = (JdbcBackend) context.getBean(Holdfast.class).backend();
          assertThat(backend.dataSource()).isNotSameAs(context.getBean(DataSource.class));
          HikariDataSource pool = (HikariDataSource) backend.dataSource();
          assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
          assertThat(context.getBean(Holdfast.class).repository(TASKS).count(dev.holdfast.Filter.all()))
              .isGreaterThanOrEqualTo(0);
        });
  }

  @Test
  void closesItsPoolAndSchedulerWhenTheContextCloses() {
    HikariDataSource[] pool = new HikariDataSource[1];
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class))
        .withPropertyValues("holdfast.jdbc.url=" + database.jdbcUrl()).run(context -> {
      Holdfast db = context.getBean(Holdfast.class);
      db.repository(TASKS).count(dev.holdfast.Filter.all());
      pool[0] = (HikariDataSource) ((JdbcBackend) db.backend()).dataSource();
      assertThat(pool[0].isClosed()).isFalse();
      assertThat(holdfastThreads()).isNotEmpty();
    });
    assertThat(pool[0].isClosed()).isTrue();
    assertThat(holdfastThreads()).isEmpty();
  }

  @Test
  void leavesTheApplicationsDataSourceOpenWhenItCloses() {
    DataSource[] seen = new DataSource[1];
    runner.withPropertyValues(springDataSource()).run(context -> {
      Holdfast db = context.getBean(Holdfast.class);
      seen[0] = ((JdbcBackend) db.backend()).dataSource();
      db.close();
      assertThat(((HikariDataSource) seen[0]).isClosed()).isFalse();
    });
  }

  @Test
  void backsOffWhenTheApplicationDefinesAHoldfast() {
    runner.withPropertyValues(springDataSource())
        .withPropertyValues("holdfast.postgrest.url=http://127.0.0.1:9/rest/v1")
        .withUserConfiguration(OwnHoldfast.class).run(context -> {
          assertThat(context).hasSingleBean(Holdfast.class);
          assertThat(context).hasBean("myHoldfast");
          assertThat(context.getBean(Holdfast.class).backend()).isInstanceOf(InMemoryBackend.class);
        });
  }

  @Test
  void staysOffWhenDisabled() {
    runner.withPropertyValues(springDataSource()).withPropertyValues("holdfast.jdbc.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Holdfast.class));
    runner.withPropertyValues(springDataSource()).withPropertyValues("holdfast.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Holdfast.class));
  }

  @Test
  void appliesTheResiliencePropertiesWithTheBackendsOwnLaidOver() {
    runner.withPropertyValues(springDataSource()).withPropertyValues(
        "holdfast.resilience.max-attempts=5", "holdfast.resilience.deadline=4s",
        "holdfast.resilience.backoff.base=50ms", "holdfast.resilience.backoff.jitter=none",
        "holdfast.jdbc.resilience.deadline=3s", "holdfast.jdbc.resilience.circuit-breaker.enabled=false",
        "holdfast.resilience.retry-budget.max-tokens=50", "holdfast.resilience.bulkhead.max-concurrent-calls=7",
        "holdfast.resilience.bulkhead.max-wait=20ms").run(context -> {
          ResiliencePolicy policy = context.getBean(Holdfast.class).guard().policy();
          assertThat(policy.maxAttempts()).isEqualTo(5);
          assertThat(policy.deadline()).isEqualTo(Duration.ofSeconds(3));
          assertThat(policy.attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
          assertThat(policy.backoff().base()).isEqualTo(Duration.ofMillis(50));
          assertThat(policy.backoff().jitter()).isEqualTo(dev.holdfast.Jitter.none());
          assertThat(policy.circuitBreaker()).isEmpty();
          assertThat(policy.retryBudget().orElseThrow().maxTokens()).isEqualTo(50);
          assertThat(policy.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(7);
          assertThat(policy.bulkhead().orElseThrow().maxWait()).isEqualTo(Duration.ofMillis(20));
        });
  }

  @Test
  void appliesTheSafePolicyProperties() {
    runner.withPropertyValues(springDataSource()).withPropertyValues("holdfast.safe.max-attempts=2",
        "holdfast.safe.deadline=1500ms").run(context -> {
          ResiliencePolicy safe = context.getBean(Holdfast.class).safe().policy();
          assertThat(safe.maxAttempts()).isEqualTo(2);
          assertThat(safe.deadline()).isEqualTo(Duration.ofMillis(1500));
          assertThat(safe.backoff()).isEqualTo(ResiliencePolicy.safeDefaults().backoff());
        });
  }

  @Test
  void addsEveryGuardListenerBeanAndAppliesCustomizers() {
    runner.withPropertyValues(springDataSource()).withUserConfiguration(Listening.class).run(context -> {
      Holdfast db = context.getBean(Holdfast.class);
      assertThat(db.guard().policy().maxAttempts()).isEqualTo(9);
      db.repository(TASKS).count(dev.holdfast.Filter.all());
      Listening listening = context.getBean(Listening.class);
      assertThat(listening.events).anyMatch(e -> e instanceof GuardEvent.CallSucceeded s
          && s.call().operation().equals("tasks.count"));
      assertThat(listening.backends).containsExactly("jdbc");
    });
  }

  @Test
  void defaultPropertiesAreTheLibrarysDefaults() {
    ResiliencePolicy fromProperties = new ResilienceProperties().toPolicy();
    ResiliencePolicy defaults = ResiliencePolicy.defaults();
    assertThat(fromProperties.toString()).isEqualTo(defaults.toString());
    assertThat(fromProperties.backoff()).isEqualTo(defaults.backoff());
    assertThat(fromProperties.circuitBreaker()).isEqualTo(defaults.circuitBreaker());
    assertThat(fromProperties.retryBudget()).isEqualTo(defaults.retryBudget());
    assertThat(fromProperties.bulkhead()).isEqualTo(defaults.bulkhead());
    ResiliencePolicy safe = new HoldfastProperties.Safe().toPolicy();
    assertThat(safe.toString()).isEqualTo(ResiliencePolicy.safeDefaults().toString());
    assertThat(safe.backoff()).isEqualTo(ResiliencePolicy.safeDefaults().backoff());
  }

  private static List<String> holdfastThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("holdfast-timer") || n.startsWith("holdfast-worker")
            || n.matches("holdfast-\\d+[ :].*"))
        .toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnHoldfast {
    @Bean
    Holdfast myHoldfast() {
      return Holdfast.builder(new InMemoryBackend(new InMemoryDatabase())).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Listening {
    final List<GuardEvent> events = new CopyOnWriteArrayList<>();
    final List<String> backends = new CopyOnWriteArrayList<>();

    @Bean
    GuardListener recording() {
      return events::add;
    }

    @Bean
    HoldfastBuilderCustomizer nineAttempts() {
      return (backend, builder) -> {
        backends.add(backend);
        builder.policy(ResiliencePolicy.builder().maxAttempts(9).build());
      };
    }
  }
}
