package dev.holdfast.testkit.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-memory engine's types against a real PostgreSQL (the embedded one): for each input, the JSON PostgREST
 * would send ({@code to_json(...)}, session time zone UTC) or the error (SQLSTATE and message) must be the same.
 */
class PgTypeAgainstPostgresTest {
  private static TestDatabase db;
  private static Connection connection;

  @BeforeAll
  static void connect() throws SQLException {
    db = TestPostgres.createDatabase();
    connection = db.dataSource().getConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("set timezone = 'UTC'");
      s.execute("create table assigned (c varchar(3))");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    connection.close();
    db.close();
  }

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("bigint", "42"), Arguments.of("bigint", " -7 "), Arguments.of("bigint", "1.0"),
        Arguments.of("bigint", "abc"), Arguments.of("bigint", "9223372036854775808"),
        Arguments.of("integer", "2147483648"), Arguments.of("smallint", "32768"), Arguments.of("integer", "+5"),
        Arguments.of("numeric", "1.50"), Arguments.of("numeric", "1e3"), Arguments.of("numeric", "-0.0"),
        Arguments.of("numeric", "0.1000000000000000055511151231257827021181583404541015625"),
        Arguments.of("numeric", "1E-20000"), Arguments.of("numeric", "1e-7"), Arguments.of("numeric", "NaN"),
        Arguments.of("numeric", "x1"), Arguments.of("numeric(5,2)", "1.005"), Arguments.of("numeric(5,2)", "-1.005"),
        Arguments.of("numeric(5,2)", "1000"), Arguments.of("numeric(3,3)", "1"),
        Arguments.of("double precision", "1e20"), Arguments.of("double precision", "0.00001"),
        Arguments.of("double precision", "123.456"), Arguments.of("double precision", "1e400"),
        Arguments.of("real", "1.5"), Arguments.of("double precision", "NaN"),
        Arguments.of("boolean", "t"), Arguments.of("boolean", "yes"), Arguments.of("boolean", "OFF"),
        Arguments.of("boolean", "o"), Arguments.of("boolean", "maybe"),
        Arguments.of("text", "a\"b\\c\n\u0001é"), Arguments.of("varchar(3)", "abcd"), Arguments.of("varchar(3)", "abc"),
        Arguments.of("uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
        Arguments.of("uuid", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}"), Arguments.of("uuid", "nope"),
        Arguments.of("jsonb", "{\"bb\": 1, \"a\": [1.50, 2e2], \"a\": {\"x\": null}}"),
        Arguments.of("jsonb", "1E+400"), Arguments.of("jsonb", "\"\\u00e9\""), Arguments.of("jsonb", "abc"),
        Arguments.of("json", "{\"bb\" : 1E+2}"),
        Arguments.of("timestamptz", "2024-01-01 10:00:00+02"), Arguments.of("timestamptz", "2024-01-01T10:00:00.1234567Z"),
        Arguments.of("timestamptz", "2024-01-01"), Arguments.of("timestamptz", "2024-13-01"),
        Arguments.of("timestamptz", "infinity"), Arguments.of("timestamptz", "notadate"),
        Arguments.of("timestamp", "2024-01-01 10:00:00.120"), Arguments.of("date", "2024-02-29"),
        Arguments.of("text[]", "{a,\"b c\",NULL}"), Arguments.of("integer[]", "{1,2,3}"),
        Arguments.of("integer[]", "1,2"));
  }

  @ParameterizedTest(name = "{1}::{0}")
  @MethodSource("inputs")
  void readsAndPrintsAValueAsPostgresqlDoes(String type, String input) throws SQLException {
    // varchar(n) is an assignment here (INSERT checks the length; an explicit cast would truncate).
    boolean assign = type.startsWith("varchar(");
    String sql = assign ? "insert into assigned values (?) returning to_json(c)::text"
        : "select to_json(?::" + type + ")::text";
    String postgres;
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, input);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        postgres = r.getString(1);
      }
    } catch (SQLException e) {
      postgres = "ERROR " + e.getSQLState() + " " + ((org.postgresql.util.PSQLException) e).getServerErrorMessage().getMessage();
    }
    String mock;
    try {
      JsonNode v = assign ? PgType.of(type).fromJson(com.fasterxml.jackson.databind.node.TextNode.valueOf(input), null)
          : PgType.of(type).fromText(input, ZoneId.of("UTC"));
      mock = type.equals("timestamptz") && v.isTextual() && !v.textValue().endsWith("infinity")
          ? PgJson.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(PgTime.json(v.textValue(),
              ZoneId.of("UTC")))) : PgJson.write(v);
    } catch (PgError e) {
      mock = "ERROR " + e.sqlState() + " " + e.getMessage();
    }
    assertThat(mock).isEqualTo(postgres);
  }
}
