package dev.holdfast.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.CallContext;
import dev.holdfast.TransientException;
import dev.holdfast.jdbc.ConnectionString;
import dev.holdfast.jdbc.ReadYourWrites;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Read-your-writes after a write whose WAL position could not be read (the connection died right after COMMIT,
 * as when Patroni demotes the primary): the server the write committed on still holds it in any role, so a read
 * may go there when no primary answers; any other replica may not hold it.
 */
class UnknownPositionRoutingTest {
  static TestDatabase database;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
  }

  @AfterAll
  static void stop() {
    if (database != null) {
      database.close();
    }
  }

  /** The replica's name as JdbcBackend gives it: the connection string's host:port list. */
  private static String replicaName(String uri) {
    return ConnectionString.parse(uri).hosts().stream().map(Object::toString).collect(Collectors.joining(","));
  }

  /** A primary that refuses every connection: no node takes writes (etcd stopped, a failover under way). */
  private static Connections noPrimary() {
    PGSimpleDataSource none = new PGSimpleDataSource();
    none.setURL("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2");
    return new Connections(none, "jdbc", null);
  }

  /** Connections as JdbcBackend makes them: from the connection string's hosts. */
  private static PGSimpleDataSource replicaSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(database.jdbcUrl());
    return ds;
  }

  private static String serverOfALiveConnection() throws Exception {
    try (Connection c = replicaSource().getConnection()) {
      return WalPositions.server(c);
    }
  }

  private static final Connections.Work<Integer> ONE = (c, d) -> {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  };

  @Test
  void theServerOfAConnectionIsNamedAsItsReplicaIs() throws Exception {
    assertThat(serverOfALiveConnection()).isEqualTo(replicaName(database.uri()));
  }

  @Test
  void aReadAfterAWriteOfUnknownPositionGoesToTheServerItCommittedOnWhenThereIsNoPrimary() throws Exception {
    WalPositions positions = new WalPositions(ReadYourWrites.THREAD);
    ReadRouting routing = new ReadRouting(List.of(new ReadRouting.Replica("127.0.0.1:2", noPrimary()),
        new ReadRouting.Replica(replicaName(database.uri()), new Connections(replicaSource(), "jdbc", null))),
        Duration.ofSeconds(10), positions);
    positions.wrote(WalPositions.UNKNOWN, serverOfALiveConnection());

    assertThat(routing.read(CallContext.of("notes.find", Duration.ofSeconds(5)), noPrimary(), ONE)).isEqualTo(1);
  }

  @Test
  void aServerTheWriteDidNotCommitOnNeverServesIt() throws Exception {
    WalPositions positions = new WalPositions(ReadYourWrites.THREAD);
    ReadRouting routing = new ReadRouting(List.of(new ReadRouting.Replica(replicaName(database.uri()),
        new Connections(replicaSource(), "jdbc", null))), Duration.ofSeconds(10), positions);
    positions.wrote(WalPositions.UNKNOWN, "10.9.9.9:5432");

    assertThatThrownBy(() -> routing.read(CallContext.of("notes.find", Duration.ofSeconds(5)), noPrimary(), ONE))
        .isInstanceOf(TransientException.class);
    // Unknown where it committed: only the primary may serve it.
    positions.wrote(WalPositions.UNKNOWN, null);
    assertThatThrownBy(() -> routing.read(CallContext.of("notes.find", Duration.ofSeconds(5)), noPrimary(), ONE))
        .isInstanceOf(TransientException.class);
  }

  @Test
  void aWriteWhoseConnectionDiesBeforeItsPositionIsReadRemembersTheServerItCommittedOn() throws Exception {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setMaximumPoolSize(1);
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
        Connection conn = pool.getConnection()) {
      int pid = conn.unwrap(org.postgresql.PGConnection.class).getBackendPID();
      try (Connection other = replicaSource().getConnection(); Statement s = other.createStatement()) {
        s.execute("SELECT pg_terminate_backend(" + pid + ")");
      }
      WalPositions positions = new WalPositions(ReadYourWrites.THREAD);

      positions.afterCommit(conn, 2_000);

      // HikariCP swaps a broken connection for a closed stand-in when the statement fails: asked before that.
      assertThat(positions.required()).isEqualTo(WalPositions.UNKNOWN);
      assertThat(positions.unknownOn()).isEqualTo(replicaName(database.uri()));
    }
  }

  @Test
  void twoWritesOfUnknownPositionOnDifferentServersLeaveOnlyThePrimary() {
    WalPositions positions = new WalPositions(ReadYourWrites.THREAD);
    positions.wrote(WalPositions.UNKNOWN, "a:5432");
    positions.wrote(WalPositions.UNKNOWN, "a:5432");
    assertThat(positions.unknownOn()).isEqualTo("a:5432");
    positions.wrote(WalPositions.UNKNOWN, "b:5432");
    assertThat(positions.unknownOn()).isNull();
    positions.wrote(700);
    assertThat(positions.required()).isEqualTo(700);
    assertThat(positions.unknownOn()).isNull();

    WalPositions shared = new WalPositions(ReadYourWrites.BACKEND);
    shared.wrote(WalPositions.UNKNOWN, "a:5432");
    assertThat(shared.required()).isEqualTo(WalPositions.UNKNOWN);
    assertThat(shared.unknownOn()).isEqualTo("a:5432");
    shared.wrote(WalPositions.UNKNOWN, "b:5432");
    assertThat(shared.unknownOn()).isNull();
  }
}
