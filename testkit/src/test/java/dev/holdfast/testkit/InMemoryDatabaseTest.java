package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.spi.TableRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryDatabaseTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TableRef USERS = new TableRef("public", "users", "id", List.of());
  private static final TableRef KV = new TableRef("public", "kv", "key", List.of("key", "value", "updated_at"));

  private final InMemoryDatabase db = new InMemoryDatabase(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC));

  InMemoryDatabaseTest() {
    db.createTable(TableSpec.builder("public", "users").columns("email", "name", "score")
        .notNull("email").unique("email").defaultValue("score", 0).build());
    db.createKeyValueTable("public", "kv");
  }

  private static ObjectNode row(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private List<String> emails() {
    return db.select(USERS, Query.all().orderBy(Order.asc("id"))).stream().map(r -> r.get("email").asText())
        .toList();
  }

  @Test
  void generatesIdsLikeAnIdentityAndAppliesDefaults() {
    List<ObjectNode> stored = db.insert(USERS, List.of(row("{\"email\":\"a\"}"), row("{\"email\":\"b\",\"id\":null}")));
    assertThat(stored).hasToString("[{\"id\":1,\"email\":\"a\",\"name\":null,\"score\":0}, "
        + "{\"id\":2,\"email\":\"b\",\"name\":null,\"score\":0}]");
    db.insert(USERS, List.of(row("{\"email\":\"c\",\"id\":10}")));
    assertThat(db.insert(USERS, List.of(row("{\"email\":\"d\"}"))).get(0).get("id").asLong()).isEqualTo(3);
  }

  @Test
  void explicitNullOverridesADefault() {
    assertThat(db.insert(USERS, List.of(row("{\"email\":\"a\",\"score\":null}"))).get(0).get("score").isNull())
        .isTrue();
  }

  @Test
  void duplicateKeysNameTheirConstraintAndInsertNothing() {
    db.insert(USERS, List.of(row("{\"id\":1,\"email\":\"a\"}")));
    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"id\":2,\"email\":\"b\"}"),
        row("{\"id\":1,\"email\":\"c\"}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.constraint()).contains("users_pkey");
          assertThat(e.code()).contains("23505");
        });
    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"id\":5,\"email\":\"a\"}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.constraint()).contains("users_email_key"));
    // Like PostgreSQL's identity, an explicit id does not advance the sequence: the next generated id collides.
    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"email\":\"z\"}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.constraint()).contains("users_pkey"));
    assertThat(db.insert(USERS, List.of(row("{\"email\":\"z\"}"))).get(0).get("id").asLong()).isEqualTo(2);
    assertThat(emails()).containsExactly("a", "z");
  }

  @Test
  void notNullColumnsRejectNull() {
    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"name\":\"x\"}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).contains("23502"));
    db.createTable("public", "plain", "id", false);
    TableRef plain = new TableRef("public", "plain", "id", List.of());
    assertThatThrownBy(() -> db.insert(plain, List.of(row("{\"x\":1}")))).isInstanceOf(ConflictException.class);
  }

  @Test
  void upsertMergesTheGivenColumnsIntoTheExistingRow() {
    db.insert(USERS, List.of(row("{\"email\":\"a\",\"name\":\"Ann\",\"score\":5}")));
    List<ObjectNode> stored = db.upsert(USERS, List.of(row("{\"email\":\"a\",\"score\":6}"),
        row("{\"email\":\"b\",\"name\":\"Bob\"}")), List.of("email"));
    assertThat(stored).hasToString("[{\"id\":1,\"email\":\"a\",\"name\":\"Ann\",\"score\":6}, "
        + "{\"id\":2,\"email\":\"b\",\"name\":\"Bob\",\"score\":0}]");
    assertThat(db.count(USERS, Filter.all())).isEqualTo(2);
  }

  @Test
  void upsertNeedsAConstraintAndEachKeyOnce() {
    assertThatThrownBy(() -> db.upsert(USERS, List.of(row("{\"email\":\"a\",\"name\":\"n\"}")), List.of("name")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("42P10"));
    assertThatThrownBy(() -> db.upsert(USERS, List.of(row("{\"email\":\"a\"}"), row("{\"email\":\"a\"}")),
        List.of("email")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("21000"));
    assertThat(db.count(USERS, Filter.all())).isZero();
  }

  @Test
  void updateChecksConstraintsAndRollsBackTheWholeStatement() {
    db.insert(USERS, List.of(row("{\"email\":\"a\"}"), row("{\"email\":\"b\"}")));
    assertThatThrownBy(() -> db.update(USERS, Filter.all(), row("{\"email\":\"same\"}")))
        .isInstanceOf(ConflictException.class);
    assertThat(emails()).containsExactly("a", "b");
    assertThat(db.update(USERS, Filter.eq("email", "b"), row("{\"score\":9}")))
        .hasToString("[{\"id\":2,\"email\":\"b\",\"name\":null,\"score\":9}]");
  }

  @Test
  void deleteRemovesMatchesAndFreesTheirKeys() {
    db.insert(USERS, List.of(row("{\"email\":\"a\"}"), row("{\"email\":\"b\"}"), row("{\"email\":\"c\"}")));
    assertThat(db.delete(USERS, Filter.neq("email", "b"))).isEqualTo(2);
    db.insert(USERS, List.of(row("{\"email\":\"a\"}")));
    assertThat(emails()).containsExactly("b", "a");
  }

  @Test
  void unknownTablesAndColumnsAreSchemaMismatches() {
    TableRef missing = new TableRef("public", "nope", "id", List.of());
    assertThatThrownBy(() -> db.select(missing, Query.all()))
        .isInstanceOfSatisfying(SchemaMismatchException.class, e -> {
          assertThat(e.code()).contains("42P01");
          assertThat(e.hint()).contains("Create the table");
        });
    List<Runnable> calls = List.of(
        () -> db.select(USERS, Query.where(Filter.eq("nope", 1))),
        () -> db.select(USERS, Query.all().orderBy(Order.asc("nope"))),
        () -> db.count(USERS, Filter.isNull("nope")),
        () -> db.insert(USERS, List.of(row("{\"email\":\"a\",\"nope\":1}"))),
        () -> db.update(USERS, Filter.all(), row("{\"nope\":1}")),
        () -> db.upsert(USERS, List.of(row("{\"email\":\"a\"}")), List.of("nope")),
        () -> db.delete(USERS, Filter.like("nope", "%")),
        () -> db.select(new TableRef("public", "users", "id", List.of("id", "nope")), Query.all()));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaMismatchException.class,
          e -> assertThat(e.code()).contains("42703"));
    }
  }

  @Test
  void rowsAreCopiedOnTheWayInAndOut() {
    ObjectNode given = row("{\"email\":\"a\",\"name\":\"Ann\"}");
    ObjectNode stored = db.insert(USERS, List.of(given)).get(0);
    given.put("name", "changed by caller");
    stored.put("name", "changed via result");
    ObjectNode read = db.select(USERS, Query.all()).get(0);
    read.put("name", "changed via read");
    assertThat(db.select(USERS, Query.all()).get(0).get("name").asText()).isEqualTo("Ann");
  }

  @Test
  void keyValueTablesStampUpdatedAtFromTheClock() {
    ObjectNode stored = db.upsert(KV, List.of(row("{\"key\":\"k\",\"value\":{\"a\":1}}")), List.of("key")).get(0);
    assertThat(stored).isEqualTo(row("{\"key\":\"k\",\"value\":{\"a\":1},\"updated_at\":\"2026-01-01T00:00:00Z\"}"));
    assertThatThrownBy(() -> db.insert(KV, List.of(row("{\"value\":1}")))).isInstanceOf(ConflictException.class);
  }

  @Test
  void simpleTablesTakeAnyColumnAndOptionalUniqueColumns() {
    db.createTable("app", "tags", "id", true, "slug");
    TableRef tags = new TableRef("app", "tags", "id", List.of());
    db.insert(tags, List.of(row("{\"slug\":\"a\",\"anything\":[1]}")));
    assertThatThrownBy(() -> db.insert(tags, List.of(row("{\"slug\":\"a\"}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.constraint()).contains("tags_slug_key"));
    assertThat(db.insert(tags, List.of(row("{\"other\":true}"))).get(0)).hasToString("{\"id\":3,\"other\":true}");
    assertThat(db.spec("app", "tags").orElseThrow().uniques()).containsExactly(List.of("slug"));
    assertThat(db.spec("app", "nope")).isEmpty();
  }

  @Test
  void clearEmptiesTablesAndRestartsIdentities() {
    db.insert(USERS, List.of(row("{\"email\":\"a\"}")));
    db.clear();
    assertThat(db.count(USERS, Filter.all())).isZero();
    assertThat(db.insert(USERS, List.of(row("{\"email\":\"a\"}"))).get(0).get("id").asLong()).isEqualTo(1);
    assertThat(db.dropTable("public", "users")).isTrue();
    assertThat(db.dropTable("public", "users")).isFalse();
    assertThat(db.hasTable("public", "users")).isFalse();
    assertThatThrownBy(() -> db.createKeyValueTable("public", "kv")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentInsertsNeitherLoseRowsNorRepeatIds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 250; i++) {
            db.insert(USERS, List.of(row("{\"email\":\"" + thread + "-" + i + "\"}")));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<ObjectNode> rows = db.select(USERS, Query.all().orderBy(Order.asc("id")));
    assertThat(rows).hasSize(1_000);
    assertThat(rows.stream().map(r -> r.get("id").asLong()).distinct().count()).isEqualTo(1_000);
  }
}
