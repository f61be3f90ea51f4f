package dev.holdfast.spring;

import static dev.holdfast.spring.Fixtures.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.spring.Fixtures.Task;
import dev.holdfast.testkit.TestDatabase;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens when Spring's {@code @Transactional} (DataSourceTransactionManager) and holdfast meet. holdfast's
 * JDBC backend borrows its own connections from the DataSource, never the one Spring bound to the thread, so its
 * calls and its own transactions are outside Spring's transaction: they commit on their own, and Spring's rollback
 * does not undo them. A wrapped DAO is the other way round: the wrap sits outside Spring's proxy, so every holdfast
 * attempt is a Spring transaction of its own.
 */
class TransactionsTest {
  private static TestDatabase database;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
          JdbcTemplateAutoConfiguration.class, HoldfastJdbcAutoConfiguration.class, HoldfastAutoConfiguration.class))
      .withUserConfiguration(Services.class)
      .withPropertyValues("spring.datasource.hikari.data-source-properties.prepareThreshold=0",
          "holdfast.resilience.backoff.base=1ms", "holdfast.resilience.backoff.cap=2ms");

  @BeforeAll
  static void createDatabase() {
    database = Fixtures.database();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @BeforeEach
  void empty() {
    database.execute("TRUNCATE tasks");
  }

  private ApplicationContextRunner run() {
    return runner.withPropertyValues("spring.datasource.url=" + database.jdbcUrl());
  }

  @Test
  void springsRollbackDoesNotUndoHoldfastsCalls() {
    run().run(context -> {
      TaskService service = context.getBean(TaskService.class);
      assertThatThrownBy(() -> service.insertBothThenFail("a")).isInstanceOf(IllegalStateException.class);
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForList("SELECT title FROM tasks ORDER BY title", String.class))
          .containsExactly("a-holdfast");
    });
  }

  @Test
  void holdfastDoesNotSeeSpringsUncommittedRows() {
    run().run(context -> {
      assertThat(context.getBean(TaskService.class).insertWithSpringThenCountWithHoldfast("b")).isZero();
      assertThat(context.getBean(Holdfast.class).repository(TASKS).count(Filter.all())).isEqualTo(1);
    });
  }

  @Test
  void holdfastsOwnTransactionCommitsInsideASpringTransactionThatRollsBack() {
    run().run(context -> {
      TaskService service = context.getBean(TaskService.class);
      assertThatThrownBy(() -> service.holdfastTransactionThenFail("c")).isInstanceOf(IllegalStateException.class);
      assertThat(context.getBean(Holdfast.class).repository(TASKS).count(Filter.eq("title", "c"))).isEqualTo(1);
    });
  }

  @Test
  void aWrappedTransactionalDaoGetsANewSpringTransactionPerAttempt() {
    run().run(context -> {
      SpringTaskDao dao = context.getBean(SpringTaskDao.class);
      assertThat(dao.insert("d")).isEqualTo(1);
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      // Injected by its interface: the bean is holdfast's proxy, around Spring's transactional proxy.
      assertThat(context.getBeanNamesForType(JdbcTaskDao.class)).isEmpty();
      // The first attempt inserted and then failed with 40001; Spring rolled it back and holdfast ran it again.
      assertThat(context.getBean(Services.class).attempts.get()).isEqualTo(2);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE title = 'd'", Long.class)).isEqualTo(1);
    });
  }

  public static class TaskService {
    private final JdbcTemplate jdbc;
    private final Holdfast holdfast;

    public TaskService(JdbcTemplate jdbc, Holdfast holdfast) {
      this.jdbc = jdbc;
      this.holdfast = holdfast;
    }

    @Transactional
    public void insertBothThenFail(String title) {
      jdbc.update("INSERT INTO tasks (title) VALUES (?)", title + "-spring");
      holdfast.repository(TASKS).insert(new Task(null, title + "-holdfast", false, null));
      throw new IllegalStateException("rolled back");
    }

    @Transactional
    public long insertWithSpringThenCountWithHoldfast(String title) {
      jdbc.update("INSERT INTO tasks (title) VALUES (?)", title);
      return holdfast.repository(TASKS).count(Filter.eq("title", title));
    }

    @Transactional
    public void holdfastTransactionThenFail(String title) {
      holdfast.inTransaction(tx -> tx.repository(TASKS).insert(new Task(null, title, false, null)));
      throw new IllegalStateException("rolled back");
    }
  }

  @HoldfastDao
  public interface SpringTaskDao {
    int insert(String title) throws SQLException;
  }

  public static class JdbcTaskDao implements SpringTaskDao {
    private final AtomicInteger attempts;
    private final JdbcTemplate jdbc;

    public JdbcTaskDao(JdbcTemplate jdbc, AtomicInteger attempts) {
      this.jdbc = jdbc;
      this.attempts = attempts;
    }

    @Override
    @Transactional(rollbackFor = SQLException.class)
    public int insert(String title) throws SQLException {
      int rows = jdbc.update("INSERT INTO tasks (title) VALUES (?)", title);
      if (attempts.incrementAndGet() == 1) {
        throw new SQLException("could not serialize access due to concurrent update", "40001");
      }
      return rows;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    final AtomicInteger attempts = new AtomicInteger();

    @Bean
    TaskService taskService(JdbcTemplate jdbc, Holdfast holdfast) {
      return new TaskService(jdbc, holdfast);
    }

    @Bean
    JdbcTaskDao jdbcTaskDao(JdbcTemplate jdbc) {
      return new JdbcTaskDao(jdbc, attempts);
    }
  }
}
