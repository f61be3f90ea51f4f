package dev.holdfast.testkit.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/** PostgreSQL's "Perhaps you meant to reference the column" hint of 42703, against the embedded PostgreSQL. */
class MissingColumnHintAgainstPostgresTest {
  private static final List<String> COLUMNS = List.of("id", "title", "done", "owner_id", "priority", "price", "data",
      "due", "tile");
  private static TestDatabase db;
  private static Connection connection;

  @BeforeAll
  static void connect() throws SQLException {
    db = TestPostgres.createDatabase();
    connection = db.dataSource().getConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("create table tasks (id bigint, title text, done boolean, owner_id bigint, priority int, "
          + "price numeric, data jsonb, due timestamptz, tile text)");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    connection.close();
    db.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nope", "titl", "titles", "i", "ids", "don", "zzzzzz", "prise", "owner", "tilte", "dat",
      "Title"})
  void hintsTheColumnPostgresqlHints(String wanted) {
    PSQLException e = catchThrowableOfType(PSQLException.class, () -> {
      try (Statement s = connection.createStatement()) {
        s.executeQuery("select \"tasks\".\"" + wanted + "\" from tasks");
      }
    });

    assertThat(Levenshtein.missingColumnHint("tasks", wanted, COLUMNS)).isEqualTo(e.getServerErrorMessage().getHint());
  }
}
