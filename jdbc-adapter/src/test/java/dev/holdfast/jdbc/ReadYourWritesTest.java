package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Holdfast;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.TransactionOptions;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read routing and read-your-writes on one embedded PostgreSQL that also serves as the "replica" (a server not in
 * recovery passes every replica check), so that what is checked is holdfast's own bookkeeping.
 */
class ReadYourWritesTest {
  public record Note(Long id, String text) {}

  static final Table<Note, Long> NOTES = Table.builder("ryw_notes", Note.class, Long.class).build();
  static TestDatabase database;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    database.execute("CREATE TABLE ryw_notes (id bigserial PRIMARY KEY, text text NOT NULL)");
  }

  @AfterAll
  static void stop() {
    if (database != null) {
      database.close();
    }
  }

  private static Set<Integer> backends(String application) throws Exception {
    Set<Integer> pids = new HashSet<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '" + application
            + "'")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }

  @Test
  void aConfirmedWriteUnderReadYourWritesKeepsItsConnectionInThePool() throws Exception {
    // Regression: reading the WAL position after COMMIT opened a new transaction on the write's connection, which
    // the lease then found open and evicted, so every write cost a new connection.
    JdbcBackend backend = JdbcBackend.builder(database.uri()).applicationName("ryw-pool").maximumPoolSize(2)
        .readReplicas(database.uri()).readYourWrites(ReadYourWrites.THREAD).build();
    try (Holdfast db = Holdfast.builder(backend).build()) {
      Repository<Note, Long> notes = db.repository(NOTES);
      Note first = notes.insert(new Note(null, "warm"));
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        Note n = notes.insert(new Note(null, "n" + i));
        assertThat(notes.findById(n.id())).map(Note::text).contains("n" + i);
        seen.addAll(backends("ryw-pool"));
      }
      assertThat(notes.findById(first.id())).isPresent();
      // Two pools of at most two connections each: a connection evicted per write would show ~20 server backends.
      assertThat(seen).hasSizeLessThanOrEqualTo(4);
    }
  }

  @Test
  void aWriteInATransactionOpenedReadOnlyIsTheCallersMistakeNotAFailover() {
    try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(database.uri())).build()) {
      assertThatThrownBy(() -> db.inTransaction("ro", TransactionOptions.defaults().withReadOnly(true),
          tx -> tx.repository(NOTES).insert(new Note(null, "no"))))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(((InvalidRequestException) e).code()).contains("25006"));
    }
  }
}
