package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@ExtendWith(EmbeddedPostgresExtension.class)
class EmbeddedPostgresExtensionTest {
  @BeforeAll
  static void schema(DataSource db) throws SQLException {
    exec(db, "CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL)");
  }

  static void exec(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> strings(DataSource db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void theDataSourceAndTheDatabaseAreTheClassesOwnUsableDatabase(DataSource dataSource, TestDatabase database)
      throws SQLException {
    exec(dataSource, "INSERT INTO notes (body) VALUES ('hello')");

    assertThat(strings(dataSource, "SELECT body FROM notes")).containsExactly("hello");
    assertThat(strings(dataSource, "SELECT current_database()")).containsExactly(database.name());
    assertThat(strings(dataSource, "SHOW server_version")).singleElement().asString().startsWith("16.");
    try (Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl())) {
      assertThat(c.getCatalog()).isEqualTo(database.name());
    }
  }

  @Test
  void anotherDatabaseDoesNotSeeThisClassesTables(TestDatabase database) throws SQLException {
    try (TestDatabase other = TestPostgres.createDatabase()) {
      assertThat(other.name()).isNotEqualTo(database.name());
      assertThat(other.port()).isEqualTo(database.port());
      assertThat(strings(other.dataSource(), "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"))
          .containsExactly("0");
    }
  }

  @Test
  void eachTestClassGetsAFreshDatabaseDroppedAfterItsTests(TestDatabase mine) throws SQLException {
    Fixture.SEEN.clear();

    TestExecutionSummary summary = RunTests.run(Fixture.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(Fixture.SEEN).hasSize(2).allMatch(db -> db == Fixture.SEEN.get(0));
    TestDatabase theirs = Fixture.SEEN.get(0);
    assertThat(theirs.name()).isNotEqualTo(mine.name());
    assertThat(theirs.isClosed()).isTrue();
    assertThat(strings(mine.dataSource(), "SELECT datname FROM pg_database WHERE datname = '" + theirs.name() + "'"))
        .isEmpty();
  }

  /** Run by the test above: both tests share the class's database, which starts empty. */
  @ExtendWith(EmbeddedPostgresExtension.class)
  static class Fixture {
    static final List<TestDatabase> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void first(TestDatabase db) throws SQLException {
      SEEN.add(db);
      assertThat(strings(db.dataSource(), "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"))
          .containsExactly("0");
    }

    @Test
    void second(TestDatabase db, DataSource dataSource) throws SQLException {
      SEEN.add(db);
      assertThat(strings(dataSource, "SELECT current_database()")).containsExactly(db.name());
    }
  }
}
