package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many rows in one statement ({@code INSERT ... SELECT * FROM unnest(...)}, one array per column) store exactly what
 * the same rows inserted one at a time store, for every kind of value holdfast binds, against real PostgreSQL: the
 * two tables are compared by the server's own text of each row.
 */
class InsertManyRowsTest {
  enum Mood { happy, sad, meh }

  record Row(Long id, String txt, String short5, String code3, BigDecimal amount, Double ratio, Boolean flag,
      Short small, Integer mid, Long big, UUID ref, LocalDate day, LocalDateTime local, Instant at,
      OffsetDateTime odt, LocalTime clock, JsonNode doc, JsonNode plainJson, byte[] raw, String blob64, Mood mood,
      Integer positive, String bits, String short3) {}

  record Tagged(Long id, String name, List<String> tags) {}

  static final Table<Row, Long> MANY = Table.builder("many", Row.class, Long.class).build();
  static final Table<Row, Long> ONE_BY_ONE = Table.builder("one_by_one", Row.class, Long.class).build();
  static final Table<Tagged, Long> TAGGED = Table.builder("tagged", Tagged.class, Long.class).build();

  static final String COLUMNS = "(id bigserial PRIMARY KEY, txt text, short5 varchar(5), code3 char(3), "
      + "amount numeric(12,4), ratio float8, flag boolean, small int2, mid int4, big int8, ref uuid, day date, "
      + "local timestamp, at timestamptz, odt timestamptz, clock time, doc jsonb, plain_json json, raw bytea, "
      + "blob64 bytea, mood \"Odd Schema\".\"Mood\", positive positive_int DEFAULT 7, bits bit(3), "
      + "short3 short_text)";

  /** Text no array literal may change: quotes, backslashes, braces, commas, the word NULL, white space, Unicode. */
  static final List<String> HOSTILE = List.of("", " ", "  padded  ", "a,b", "{x}", "}{", "\"q\"", "back\\slash",
      "\\\\", "NULL", "null", "\\N", "tab\there", "new\nline", "emoji 😀", "ünïcödé", "'single'", "$1", "?",
      "/* holdfast */", "E'\\x00'", "{\"a\",NULL}", "\"", "\\");

  static final ObjectMapper JSON = new ObjectMapper();

  static TestDatabase database;
  static Holdfast db;
  static final List<String> statements = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    database.execute("CREATE SCHEMA \"Odd Schema\"",
        "CREATE TYPE \"Odd Schema\".\"Mood\" AS ENUM ('happy', 'sad', 'meh')",
        "CREATE DOMAIN positive_int AS int CHECK (VALUE > 0)", "CREATE DOMAIN short_text AS varchar(3)");
    db = Holdfast.builder(JdbcBackend.wrap(recording(database.dataSource()))).build();
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void freshTables() {
    database.execute("DROP TABLE IF EXISTS many", "DROP TABLE IF EXISTS one_by_one", "DROP TABLE IF EXISTS tagged",
        "CREATE TABLE many " + COLUMNS, "CREATE TABLE one_by_one " + COLUMNS,
        "CREATE TABLE tagged (id bigserial PRIMARY KEY, name text, tags text[])");
    statements.clear();
  }

  @Test
  void manyRowsInOneStatementStoreWhatOneRowAtATimeStores() throws Exception {
    List<Row> rows = rows();
    Repository<Row, Long> many = db.repository(MANY);
    Repository<Row, Long> single = db.repository(ONE_BY_ONE);

    List<Row> stored = many.insertAll(rows);
    List<String> bulk = new ArrayList<>(statements);
    for (Row row : rows) {
      single.insert(row);
    }

    assertThat(stored).hasSize(rows.size());
    assertThat(stored).extracting(Row::txt).containsExactlyElementsOf(rows.stream().map(Row::txt).toList());
    assertThat(stored).allSatisfy(r -> assertThat(r.positive()).isNotNull());
    assertThat(serverText("many")).isEqualTo(serverText("one_by_one"));
    // The rows went as arrays, one statement per set of non-null columns (the rows hold three such sets).
    List<String> inserts = bulk.stream().filter(s -> s.contains("INSERT INTO")).toList();
    assertThat(inserts).hasSize(3).allSatisfy(s -> assertThat(s).contains("unnest(").doesNotContain("VALUES"));
    assertThat(inserts.get(0)).contains("?::\"Odd Schema\".\"Mood\"[]", "?::pg_catalog.bpchar[]",
        "?::pg_catalog.\"bit\"[]", "?::public.short_text[]");
  }

  @Test
  void hostileTextSurvivesTheArrayLiteralExactly() {
    Repository<Row, Long> many = db.repository(MANY);
    List<Row> rows = new ArrayList<>();
    for (String s : HOSTILE) {
      rows.add(new Row(null, s, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          JSON.createObjectNode().put(s, s), null, null, null, null, null, null, null));
    }
    List<Row> stored = many.insertAll(rows);

    assertThat(stored).extracting(Row::txt).containsExactlyElementsOf(HOSTILE);
    List<Row> read = many.find(dev.holdfast.Query.all().orderBy(dev.holdfast.Order.asc("id")));
    assertThat(read).extracting(Row::txt).containsExactlyElementsOf(HOSTILE);
    assertThat(read).extracting(r -> r.doc().fieldNames().next()).containsExactlyElementsOf(HOSTILE);
    assertThat(read).extracting(r -> r.doc().elements().next().textValue()).containsExactlyElementsOf(HOSTILE);
  }

  @Test
  void aValueTooLongForItsColumnFailsAsInAValuesListAndStoresNothing() {
    Repository<Row, Long> many = db.repository(MANY);
    List<Row> rows = List.of(withShort("ok"), withShort("toolong"));

    // Cast to varchar(5) would cut the value silently; holdfast casts to varchar[] and lets assignment check it.
    assertThatThrownBy(() -> many.insertAll(rows)).isInstanceOf(HoldfastException.class)
        .satisfies(e -> assertThat(((HoldfastException) e).code()).contains("22001"));
    assertThat(many.count(Filter.all())).isZero();
  }

  @Test
  void lengthTypedColumnsRefuseWhatTheyCannotHoldInsteadOfCuttingIt() {
    Repository<Row, Long> many = db.repository(MANY);
    Row okChar = withCode3("ab");
    // char(3), bit(3) and a domain over varchar(3): each too-long value fails; none is cut to fit.
    for (Row tooLong : List.of(withCode3("abcd"), new Row(null, "b", null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, "1011", null), new Row(null, "d", null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, "abcd"))) {
      Row ok = tooLong.bits() != null ? new Row(null, "b", null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null, "101", null)
          : tooLong.short3() != null ? new Row(null, "d", null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null, null, "abc") : okChar;
      assertThatThrownBy(() -> many.insertAll(List.of(ok, tooLong))).isInstanceOf(HoldfastException.class)
          .satisfies(e -> assertThat(((HoldfastException) e).code()).hasValueSatisfying(
              code -> assertThat(code).isIn("22001", "22026")));
    }
    assertThat(many.count(Filter.all())).isZero();
    assertThat(many.insertAll(List.of(okChar, withCode3("c")))).extracting(Row::code3).containsExactly("ab ", "c  ");
  }

  private static Row withCode3(String s) {
    return new Row(null, s, null, s, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  @Test
  void aValueADomainRejectsFailsAndStoresNothing() {
    Repository<Row, Long> many = db.repository(MANY);
    Row good = withShort("a");
    Row bad = new Row(null, "bad", null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, -1, null, null);
    Row alsoGood = new Row(null, "fine", null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, 3, null, null);

    assertThatThrownBy(() -> many.insertAll(List.of(alsoGood, bad))).isInstanceOf(HoldfastException.class)
        .satisfies(e -> assertThat(((HoldfastException) e).code()).contains("23514"));
    assertThat(many.count(Filter.all())).isZero();
    assertThat(many.insertAll(List.of(good, withShort("b")))).hasSize(2);
  }

  @Test
  void manyRowsUpsertInOneStatement() {
    Repository<Row, Long> many = db.repository(MANY);
    List<Row> first = many.insertAll(List.of(withShort("a"), withShort("b"), withShort("c")));
    statements.clear();

    List<Row> changed = new ArrayList<>();
    for (Row r : first) {
      changed.add(new Row(r.id(), r.txt() + "!", r.short5(), null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, Mood.sad, 9, null, null));
    }
    changed.add(new Row(100L, "new", "n", null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, Mood.meh, 1, null, null));
    List<Row> upserted = many.upsertAll(changed);

    assertThat(upserted).extracting(Row::txt).containsExactly("a!", "b!", "c!", "new");
    assertThat(many.find(dev.holdfast.Query.all().orderBy(dev.holdfast.Order.asc("id"))))
        .extracting(Row::txt, Row::mood, Row::positive)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a!", Mood.sad, 9),
            org.assertj.core.groups.Tuple.tuple("b!", Mood.sad, 9), org.assertj.core.groups.Tuple.tuple("c!", Mood.sad, 9),
            org.assertj.core.groups.Tuple.tuple("new", Mood.meh, 1));
    assertThat(statements.stream().filter(s -> s.contains("INSERT INTO"))).singleElement()
        .satisfies(s -> assertThat(s).contains("unnest(").contains("ON CONFLICT"));
  }

  @Test
  void arrayColumnsKeepTheOneParameterPerValueForm() {
    Repository<Tagged, Long> tagged = db.repository(TAGGED);
    List<Tagged> stored = tagged.insertAll(List.of(new Tagged(null, "x", List.of("a", "b,c")),
        new Tagged(null, "y", List.of("{d}", "NULL")), new Tagged(null, "z", List.of())));

    assertThat(stored).extracting(Tagged::tags)
        .containsExactly(List.of("a", "b,c"), List.of("{d}", "NULL"), List.of());
    assertThat(statements.stream().filter(s -> s.contains("INSERT INTO"))).singleElement()
        .satisfies(s -> assertThat(s).doesNotContain("unnest(").contains("VALUES"));
  }

  private static Row withShort(String s) {
    return new Row(null, s, s, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  /** Thirty rows in three blocks of ten, each block with its own set of null columns. */
  private static List<Row> rows() throws Exception {
    List<Row> rows = new ArrayList<>();
    double[] ratios = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, 4.9e-324,
        0.1, 1.0 / 3, 12345.678, -2.5};
    for (int i = 0; i < 30; i++) {
      String txt = HOSTILE.get(i % HOSTILE.size());
      JsonNode doc = JSON.readTree("{\"i\": " + i + ", \"s\": " + JSON.writeValueAsString(txt)
          + ", \"n\": 1.50, \"a\": [1, null, \"x\"]}");
      byte[] raw = {(byte) i, 0, (byte) 0xff, '"', '\\', ',', '{'};
      UUID ref = UUID.nameUUIDFromBytes(txt.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Instant at = Instant.parse("2026-03-01T10:15:30.123456789Z").plusSeconds(i * 3_600L);
      if (i < 10) {
        rows.add(new Row(null, txt, "v" + i, "c" + i, new BigDecimal("12345678.12345").add(BigDecimal.valueOf(i)),
            ratios[i], i % 2 == 0, (short) (i - 5), Integer.MIN_VALUE + i, Long.MAX_VALUE - i, ref,
            LocalDate.of(1 + i * 200, 12, 31), LocalDateTime.of(2000, 2, 29, 23, 59, 59, 999_999_000),
            at, OffsetDateTime.of(2026, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)), LocalTime.of(23, 59,
                59, 999_999_000), doc, JSON.readTree("{\"b\":2,  \"a\":1}"), raw,
            Base64.getEncoder().encodeToString(raw), Mood.values()[i % 3], i + 1, i % 2 == 0 ? "101" : "010",
            "x" + i));
      } else if (i < 20) {
        rows.add(new Row(null, txt, null, null, new BigDecimal("1E+3"), null, null, null, i, null, null, null, null,
            null, null, null, JSON.readTree(JSON.writeValueAsString(txt)), null, new byte[0], null, null, null, null,
            null));
      } else {
        rows.add(new Row(null, txt, "é" + (i % 10), null, new BigDecimal("-0.00005"), ratios[i % 10], false, null,
            null, (long) i, null, LocalDate.of(2024, 2, 29), null, Instant.EPOCH, null, LocalTime.MIDNIGHT,
            JSON.readTree("[]"), JSON.readTree("\"s\""), null, "", Mood.happy, 1, "111", "abc"));
      }
    }
    return rows;
  }

  private static List<String> serverText(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** {@code ds}, recording the text of every statement prepared on its connections. */
  private static DataSource recording(DataSource ds) {
    return (DataSource) Proxy.newProxyInstance(InsertManyRowsTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(ds, method, args);
          if (result instanceof Connection c) {
            InvocationHandler h = (p, m, a) -> {
              if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql) {
                statements.add(sql);
              }
              return invoke(c, m, a);
            };
            return Proxy.newProxyInstance(InsertManyRowsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, h);
          }
          return result;
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
