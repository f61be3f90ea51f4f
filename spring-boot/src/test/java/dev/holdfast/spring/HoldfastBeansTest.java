package dev.holdfast.spring;

import static dev.holdfast.spring.Fixtures.NOTES;
import static dev.holdfast.spring.Fixtures.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.holdfast.DefaultOnFailure;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.SafeResult;
import dev.holdfast.Table;
import dev.holdfast.spring.Fixtures.Note;
import dev.holdfast.spring.Fixtures.Task;
import dev.holdfast.testkit.TestDatabase;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class HoldfastBeansTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class))
      .withPropertyValues("spring.datasource.url=" + "${test.url}",
          "spring.datasource.hikari.data-source-properties.prepareThreshold=0",
          "holdfast.resilience.backoff.base=1ms", "holdfast.resilience.backoff.cap=2ms",
          "holdfast.resilience.circuit-breaker.enabled=false");

  @BeforeAll
  static void createDatabase() {
    database = Fixtures.database();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  private ApplicationContextRunner run() {
    return runner.withPropertyValues("test.url=" + database.jdbcUrl());
  }

  @Test
  void injectsARepositoryForEveryTableBeanByItsGenericType() {
    run().withUserConfiguration(Tables.class).withBean(Consumer.class).run(context -> {
      assertThat(context).hasNotFailed();
      Consumer consumer = context.getBean(Consumer.class);
      Task task = consumer.tasks.insert(new Task(null, "typed", false, null));
      Note note = consumer.notes.insert(new Note(null, "also typed"));
      assertThat(consumer.tasks.findById(task.id()).orElseThrow().title()).isEqualTo("typed");
      assertThat(consumer.notes.findById(note.id()).orElseThrow().text()).isEqualTo("also typed");
      assertThat(context).hasBean("tasksRepository").hasBean("notesRepository");
      assertThat(context.getBeanNamesForType(Repository.class)).hasSize(2);
    });
  }

  @Test
  void definesNoRepositoryForATableWithoutTypeArguments() {
    run().withUserConfiguration(RawTable.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean("rawRepository");
    });
  }

  @Test
  void backsOffForTheApplicationsOwnRepository() {
    run().withUserConfiguration(Tables.class, OwnRepository.class).run(context -> {
      assertThat(context).doesNotHaveBean("tasksRepository");
      assertThat(context).hasBean("myTasks").hasBean("notesRepository");
    });
  }

  @Test
  void definesSafeKeyValueStoresByName() {
    run().withPropertyValues("holdfast.safe.key-value-stores.settings.create-table=true",
        "holdfast.safe.key-value-stores.settings.last-known-good-max-entries=100",
        "holdfast.safe.key-value-stores.settings.last-known-good-max-age=2m",
        "holdfast.safe.key-value-stores.flags.table=feature_flags",
        "holdfast.safe.key-value-stores.flags.create-table=true")
        .withBean(StoreConsumer.class).run(context -> {
          StoreConsumer consumer = context.getBean(StoreConsumer.class);
          assertThat(consumer.settings.lastKnownGood().orElseThrow().maxAge()).isEqualTo(Duration.ofMinutes(2));
          assertThat(consumer.flags.lastKnownGood()).isEmpty();
          assertThat(consumer.settings.safeSet("banner", "hello").isApplied()).isTrue();
          SafeResult<JsonNode> banner = consumer.settings.safeGet("banner", TextNode.valueOf("default"));
          assertThat(banner.isFresh()).isTrue();
          assertThat(banner.value().asText()).isEqualTo("hello");
          assertThat(consumer.flags.safeGet("banner", TextNode.valueOf("none")).value().asText()).isEqualTo("none");
          assertThat(context).hasBean("settingsSafeKeyValueStore").hasBean("flagsSafeKeyValueStore");
        });
  }

  @Test
  void wrapsAnnotatedDaosOnTheHoldfastGuard() {
    run().withUserConfiguration(Daos.class).run(context -> {
      TaskDao dao = context.getBean(TaskDao.class);
      FlakyTaskDao target = context.getBean(Daos.class).target;
      assertThat(Proxy.isProxyClass(dao.getClass())).isTrue();
      // A dropped connection (08006) is transient for holdfast-jdbc's classifier: retried, then it works.
      target.failures.set(2);
      assertThat(dao.countOpen()).isEqualTo(7);
      assertThat(target.calls.get()).isEqualTo(3);
      // @DefaultOnFailure keeps working: once the attempts run out, an empty list instead of the exception.
      target.failures.set(10);
      assertThat(dao.titles()).isEmpty();
      assertThat(context.getBean(PlainDao.class).getClass()).isEqualTo(PlainDaoImpl.class);
    });
  }

  @Test
  void leavesDaosAloneWhenDisabled() {
    run().withPropertyValues("holdfast.dao.enabled=false").withUserConfiguration(Daos.class).run(context -> {
      assertThat(context.getBean(TaskDao.class)).isInstanceOf(FlakyTaskDao.class);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Tables {
    @Bean
    Table<Task, Long> tasks() {
      return TASKS;
    }

    @Bean
    Table<Note, Long> notes() {
      return NOTES;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RawTable {
    @Bean
    @SuppressWarnings("rawtypes")
    Table raw() {
      return TASKS;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRepository {
    @Bean
    Repository<Task, Long> myTasks(Holdfast db) {
      return db.repository(TASKS);
    }
  }

  static class Consumer {
    final Repository<Task, Long> tasks;
    final Repository<Note, Long> notes;

    Consumer(Repository<Task, Long> tasks, Repository<Note, Long> notes) {
      this.tasks = tasks;
      this.notes = notes;
    }
  }

  static class StoreConsumer {
    final SafeKeyValueStore settings;
    final SafeKeyValueStore flags;

    StoreConsumer(@Qualifier("settings") SafeKeyValueStore settings, @Qualifier("flags") SafeKeyValueStore flags) {
      this.settings = settings;
      this.flags = flags;
    }
  }

  @HoldfastDao
  public interface TaskDao {
    int countOpen() throws SQLException;

    @DefaultOnFailure
    List<String> titles() throws SQLException;
  }

  public interface PlainDao {
    int count();
  }

  static final class PlainDaoImpl implements PlainDao {
    @Override
    public int count() {
      return 0;
    }
  }

  static final class FlakyTaskDao implements TaskDao {
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public int countOpen() throws SQLException {
      calls.incrementAndGet();
      failIfDue();
      return 7;
    }

    @Override
    public List<String> titles() throws SQLException {
      failIfDue();
      return List.of("never");
    }

    private void failIfDue() throws SQLException {
      if (failures.getAndDecrement() > 0) {
        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Daos {
    final FlakyTaskDao target = new FlakyTaskDao();

    @Bean
    TaskDao taskDao() {
      return target;
    }

    @Bean
    PlainDao plainDao() {
      return new PlainDaoImpl();
    }
  }
}
