package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Changes;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.Table;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.TableSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client and the backend end to end against MockPostgrest's parser of PostgREST's syntax. */
class PostgrestAgainstMockPostgrestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HOSTILE = List.of("plain", "a,b", "x.y", "p:q", "(paren)", "sp ace",
      "q\"uote", "back\\slash", "", "null", "1+1", "st*r", "ünï😀", "a&select=secret", "100%_");

  record Task(Long id, String title, Boolean done) {}

  private static final Table<Task, Long> TASKS = Table.builder("tasks", Task.class, Long.class).build();

  private MockPostgrest postgrest;
  private PostgrestClient client;

  @BeforeEach
  void start() {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "tasks").id("id", true).columns("title", "done").build());
    db.createKeyValueTable("public", "settings");
    postgrest = MockPostgrest.start(db);
    client = PostgrestClient.builder(postgrest.url()).apiKey("anon").build();
    for (String title : HOSTILE) {
      client.from("tasks").insert(JSON.createObjectNode().put("title", title).put("done", false)).execute();
    }
  }

  @AfterEach
  void stop() {
    client.close();
    postgrest.close();
  }

  private List<String> titles(PostgrestRequest request) {
    return request.execute().rows().stream().map(r -> r.get("title").asText()).toList();
  }

  @Test
  void everyHostileValueMatchesExactlyItselfWithEq() {
    for (String title : HOSTILE) {
      assertThat(titles(client.from("tasks").select("title").eq("title", title))).containsExactly(title);
    }
  }

  @Test
  void everyHostileValueMatchesExactlyItselfInListsAndTrees() {
    assertThat(titles(client.from("tasks").select("title").in("title", HOSTILE).order(Order.asc("id"))))
        .containsExactlyElementsOf(HOSTILE);
    for (String title : HOSTILE) {
      Filter tree = Filter.anyOf(Filter.eq("title", title), Filter.in("title", List.of(title, "(none)")));
      assertThat(titles(client.from("tasks").select("title").filter(tree))).containsExactly(title);
    }
  }

  @Test
  void likePatternsWithLiteralStarsAndEscapesMatchExactly() {
    assertThat(titles(client.from("tasks").select("title").like("title", "st*%"))).containsExactly("st*r");
    assertThat(titles(client.from("tasks").select("title").like("title", "100\\%\\_"))).containsExactly("100%_");
    assertThat(titles(client.from("tasks").select("title")
        .filter(Filter.startsWith("title", "(p").or(Filter.ilike("title", "%ÜNÏ%")))))
        .containsExactlyInAnyOrder("(paren)", "ünï😀");
  }

  @Test
  void countsRangesAndSingleRowsComeBackAsPostgrestSendsThem() {
    PostgrestResponse page = client.from("tasks").select("id").order(Order.asc("id")).range(0, 4)
        .count(CountMode.EXACT).execute();

    assertThat(page.status()).isEqualTo(206);
    assertThat(page.count()).hasValue(HOSTILE.size());
    assertThat(page.rows()).hasSize(5);
    ObjectNode one = client.from("tasks").select("id,label:title").eq("title", "q\"uote").single();
    assertThat(one.get("label").asText()).isEqualTo("q\"uote");
  }

  @Test
  void repositoryAndKeyValueStoreWorkThroughTheBackend() {
    try (Holdfast holdfast = Holdfast.builder(PostgrestBackend.wrap(client)).build()) {
      Repository<Task, Long> tasks = holdfast.repository(TASKS);
      Task saved = tasks.insert(new Task(null, "new, (task)", false));
      tasks.updateById(saved.id(), Changes.set("done", true));

      assertThat(tasks.findById(saved.id())).contains(new Task(saved.id(), "new, (task)", true));
      assertThat(tasks.count(Filter.eq("done", true))).isEqualTo(1);
      assertThat(tasks.find(Query.where(Filter.eq("done", false)).orderBy(Order.desc("id")).limit(2)))
          .extracting(Task::title).containsExactly("100%_", "a&select=secret");
      assertThat(tasks.stream(Query.all()).count()).isEqualTo(HOSTILE.size() + 1);
      assertThatThrownBy(() -> tasks.insert(new Task(saved.id(), "dup", false)))
          .isInstanceOf(ConflictException.class);
      assertThat(tasks.deleteWhere(Filter.in("title", List.of("a,b", "x.y")))).isEqualTo(2);

      KeyValueStore settings = holdfast.keyValueStore("settings");
      settings.set("theme", Map.of("dark", true));
      assertThat(settings.get("theme").map(JsonNode::toString)).contains("{\"dark\":true}");
    }
  }

  @Test
  void unknownTableIsASchemaMismatchWithReloadHint() {
    assertThatThrownBy(() -> client.from("nope").select("*").execute())
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Could not find the table 'public.nope' in the schema cache")
        .hasMessageContaining("NOTIFY pgrst");
  }

  @Test
  void functionsAreCalledWithTheirArguments() {
    postgrest.function("titles_like", args -> {
      String prefix = args.get("prefix").asText();
      return JSON.valueToTree(HOSTILE.stream().filter(t -> t.startsWith(prefix)).collect(Collectors.toList()));
    });

    JsonNode viaPost = client.rpc("titles_like", JSON.createObjectNode().put("prefix", "a")).execute().body();
    JsonNode viaGet = client.rpc("titles_like", JSON.createObjectNode().put("prefix", "1+")).get().execute().body();

    assertThat(viaPost.toString()).isEqualTo("[\"a,b\",\"a&select=secret\"]");
    assertThat(viaGet.toString()).isEqualTo("[\"1+1\"]");
  }
}
