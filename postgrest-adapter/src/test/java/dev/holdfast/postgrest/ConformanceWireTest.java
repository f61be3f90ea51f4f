package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ConflictException;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.testkit.conformance.ConformanceCase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The testkit's PostgREST conformance cases replayed against the client: for each case the client can express,
 * the public API call below must send exactly the case's request (method, path, query parameters, the headers the
 * case sets, the body as JSON), and must read the response PostgREST gives it (the case's recorded answer,
 * served by MockWebServer) as the assertion says. MockPostgrest runs the same cases in the testkit, so the mock,
 * the cases and the client cannot drift apart silently.
 */
class ConformanceWireTest extends WireFixture {
  /** One client call per request step of a case; each returns nothing and asserts what it read. */
  @FunctionalInterface
  interface Replay {
    void run(PostgrestClient client) throws Exception;
  }

  private static final Map<String, Replay> REPLAYS = new LinkedHashMap<>();

  private static void replay(String caseName, Replay replay) {
    if (REPLAYS.put(caseName, replay) != null) {
      throw new IllegalStateException("two replays for " + caseName);
    }
  }

  static {
    // counting-and-ranges
    replay("an offset past the end with count=exact answers 416 PGRST103 with Content-Range */N",
        c -> assertThatThrownBy(() -> c.from("tasks").select("*").offset(10).count(CountMode.EXACT).execute())
            .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "PGRST103")));
    replay("an offset equal to the count is not past the end: an empty 206 with */N", c -> {
      PostgrestResponse r = c.from("tasks").select("id").offset(4).count(CountMode.EXACT).execute();
      assertThat(r.rows()).isEmpty();
      assertThat(r.count()).hasValue(4);
    });
    replay("an offset past the end without a count is an empty 200 with */*", c -> {
      PostgrestResponse r = c.from("tasks").select("*").offset(10).execute();
      assertThat(r.rows()).isEmpty();
      assertThat(r.count()).isEmpty();
    });
    replay("an empty result with count=exact has Content-Range */0", c -> {
      PostgrestResponse r = c.from("tasks").select("*").eq("id", 999).count(CountMode.EXACT).execute();
      assertThat(r.rows()).isEmpty();
      assertThat(r.count()).hasValue(0);
    });
    replay("a limit below the count with count=exact is a 206 partial page", c -> {
      PostgrestResponse r = c.from("tasks").select("id").order(Order.asc("id")).limit(2).count(CountMode.EXACT)
          .execute();
      assertThat(r.status()).isEqualTo(206);
      assertThat(r.rows()).extracting(n -> n.get("id").asInt()).containsExactly(1, 2);
      assertThat(r.count()).hasValue(4);
    });
    replay("limit=0 answers an empty 200 with */*",
        c -> assertThat(c.from("tasks").select("id").limit(0).execute().rows()).isEmpty());
    replay("a duplicate primary key is 409 23505 with PostgreSQL's detail and a null hint",
        c -> assertThatThrownBy(() -> c.from("users").insert(row("{\"id\":1,\"name\":\"X\"}"))
            .returning(Returning.MINIMAL).execute())
            .isInstanceOf(ConflictException.class).satisfies(e -> code(e, "23505"))
            .hasMessageContaining("users_pkey"));
    replay("an unknown table is 404 PGRST205 with a \"Perhaps you meant\" hint",
        c -> assertThatThrownBy(() -> c.from("taks").select("*").execute())
            .isInstanceOf(SchemaMismatchException.class).satisfies(e -> code(e, "PGRST205"))
            .satisfies(e -> assertThat(((HoldfastException) e).details().hint()).hasValueSatisfying(
                h -> assertThat(h).contains("public.tasks"))));
    replay("a filter value that is no bigint is 22P02 naming the column's type",
        c -> assertThatThrownBy(() -> c.from("tasks").select("*").eq("id", "abc").execute())
            .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "22P02"))
            .hasMessageContaining("bigint"));
    replay("a filter on an unknown column is 42703 from PostgreSQL, with its hint for a column within half the length",
        c -> assertThatThrownBy(() -> c.from("tasks").select("*").eq("nope", 1).execute())
            .isInstanceOf(SchemaMismatchException.class).satisfies(e -> code(e, "42703")));
    replay("a missing referenced row is 409 23503",
        c -> assertThatThrownBy(() -> c.from("tasks").insert(row("{\"title\":\"x\",\"owner_id\":99}"))
            .returning(Returning.MINIMAL).execute())
            .isInstanceOf(ConflictException.class).satisfies(e -> code(e, "23503")));
    replay("an embedding no foreign key supports is 400 PGRST200 with a fuzzy hint",
        c -> assertThatThrownBy(() -> c.from("tasks").select("*,userz(*)").execute())
            .isInstanceOf(SchemaMismatchException.class).satisfies(e -> code(e, "PGRST200")));
    replay("an embedding two foreign keys support is 300 PGRST201 with the candidates",
        c -> assertThatThrownBy(() -> c.from("messages").select("*,people(*)").execute())
            .isInstanceOf(SchemaMismatchException.class).satisfies(e -> code(e, "PGRST201")));
    replay("on_conflict on columns without a unique constraint is 400 42P10",
        c -> assertThatThrownBy(() -> c.from("users").upsert(row("{\"name\":\"Ann\"}")).onConflict("name")
            .returning(Returning.MINIMAL).execute())
            .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "42P10")));

    // in-lists: the client's in(column, [""]) must mean "the empty string", which PostgREST's in.("") does not.
    replay("in.(\"\") is the empty list: it matches no row, not the empty string",
        c -> assertThat(c.from("words").select("id").filter("w", "in", "(\"\")").execute().rows()).isEmpty());
    replay("the empty string in a longer list is a member", c -> assertThat(
        c.from("words").select("id").in("w", List.of("", "a")).order(Order.asc("id")).execute().rows())
        .extracting(n -> n.get("id").asInt()).containsExactly(1, 2));
    replay("eq. with nothing after the dot matches the empty string", c -> assertThat(
        c.from("words").select("id").eq("w", "").execute().rows()).extracting(n -> n.get("id").asInt())
        .containsExactly(1));
    replay("a quoted member keeps its comma", c -> assertThat(
        c.from("words").select("id").in("w", List.of("a,b")).execute().rows()).isEmpty());

    // mutation-headers
    replay("a PATCH of one row answers 204 with Content-Range 0-0/* and no Preference-Applied", c -> assertThat(
        c.from("tasks").update(row("{\"done\":true}")).eq("id", 1).returning(Returning.MINIMAL).execute().status())
        .isEqualTo(204));
    replay("a PATCH with count=exact counts the updated rows", c -> assertThat(
        c.from("tasks").update(row("{\"priority\":5}")).eq("done", false).returning(Returning.MINIMAL)
            .count(CountMode.EXACT).execute().count()).hasValue(3));
    replay("a PATCH with return=representation answers 200 with the updated rows", c -> assertThat(
        c.from("tasks").update(row("{\"priority\":5}")).eq("done", false).select("id,priority")
            .returning(Returning.REPRESENTATION).execute().rows())
        .allSatisfy(n -> assertThat(n.get("priority").asInt()).isEqualTo(5)).hasSize(3));
    replay("a DELETE with count=exact has Content-Range */N", c -> assertThat(
        c.from("tasks").delete().eq("id", 4).returning(Returning.MINIMAL).count(CountMode.EXACT).execute().count())
        .hasValue(1));
    replay("a DELETE with return=representation answers 200 with the deleted rows", c -> assertThat(
        c.from("tasks").delete().eq("id", 4).returning(Returning.REPRESENTATION).execute().rows())
        .extracting(n -> n.get("id").asInt()).containsExactly(4));
    replay("a POST with return=representation and count=exact counts the inserted rows", c -> {
      PostgrestResponse r = c.from("users").insert(List.of(row("{\"name\":\"Dee\",\"email\":null}"),
          row("{\"name\":\"Eve\",\"email\":\"eve@x.io\"}"))).returning(Returning.REPRESENTATION)
          .count(CountMode.EXACT).execute();
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.count()).hasValue(2);
      assertThat(r.rows()).extracting(n -> n.get("id").asInt()).containsExactly(4, 5);
    });
    replay("ignore-duplicates skips the existing row and still answers 201", c -> {
      PostgrestResponse skipped = c.from("users").upsert(row("{\"id\":1,\"name\":\"Ann2\"}")).ignoreDuplicates()
          .returning(Returning.REPRESENTATION).execute();
      assertThat(skipped.status()).isEqualTo(201);
      assertThat(skipped.rows()).isEmpty();
      assertThat(c.from("users").select("name").eq("id", 1).execute().rows())
          .extracting(n -> n.get("name").asText()).containsExactly("Ann");
    });
    replay("on_conflict upserts on a unique column", c -> assertThat(
        c.from("users").upsert(row("{\"name\":\"Bobby\",\"email\":\"bob@x.io\"}")).onConflict("email")
            .returning(Returning.REPRESENTATION).execute().rows())
        .extracting(n -> n.get("id").asInt()).containsExactly(2));
    replay("with the override allowed, tx=rollback answers as if committed and keeps nothing", c -> {
      assertThat(c.from("users").insert(row("{\"name\":\"Dee\"}")).returning(Returning.REPRESENTATION)
          .rollback().execute().rows()).extracting(n -> n.get("id").asInt()).containsExactly(4);
      assertThat(c.from("users").select("name").eq("id", 4).execute().rows()).isEmpty();
    });
    replay("max-affected with handling=strict refuses a PATCH that touches more rows, and changes nothing", c -> {
      assertThatThrownBy(() -> c.from("tasks").update(row("{\"priority\":5}")).eq("done", false)
          .returning(Returning.MINIMAL).strict().maxAffected(2).execute())
          .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "PGRST124"));
      assertThat(c.from("tasks").select("priority").eq("id", 1).execute().rows())
          .extracting(n -> n.get("priority").asInt()).containsExactly(1);
    });

    // singular-writes
    replay("a PATCH with the singular Accept that matches one row answers that row as an object", c -> assertThat(
        c.from("tasks").update(row("{\"done\":false}")).eq("id", 2).returning(Returning.REPRESENTATION).single()
            .get("id").asInt()).isEqualTo(2));
    replay("a read with the singular Accept that finds several rows answers 406", c -> assertThatThrownBy(
        () -> c.from("tasks").select("*").eq("done", false).single())
        .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "PGRST116")));
    replay("a read with the singular Accept and nulls=stripped leaves the null columns out", c -> {
      JsonNode task = c.from("tasks").select("*").eq("id", 2).stripNulls().single();
      assertThat(task.has("due")).isFalse();
      assertThat(task.get("id").asInt()).isEqualTo(2);
    });
    replay("an array with nulls=stripped drops null members of every row", c -> assertThat(
        c.from("tasks").select("id,price").order(Order.asc("id")).lte("id", 2).stripNulls().execute().rows())
        .hasSize(2));

    // rpc
    replay("a scalar function called by POST answers its value with Content-Range 0-0/*", c -> assertThat(
        c.rpc("add_them", JSON.createObjectNode().put("a", 1).put("b", 2)).execute().body().asInt())
        .isEqualTo(3));
    replay("a misspelt function name is 404 PGRST202 with the closest name as hint", c -> assertThatThrownBy(
        () -> c.rpc("add_thm", JSON.createObjectNode().put("a", 1).put("b", 2)).get().execute())
        .isInstanceOf(SchemaMismatchException.class).satisfies(e -> code(e, "PGRST202")));
    replay("a void function answers 204 with no body",
        c -> assertThat(c.rpc("nothing", JSON.createObjectNode()).execute().status()).isEqualTo(204));
    replay("RAISE EXCEPTION (P0001) is 400 with its message, detail and hint", c -> assertThatThrownBy(
        () -> c.rpc("fail_credit", JSON.createObjectNode()).execute())
        .isInstanceOf(InvalidRequestException.class).satisfies(e -> code(e, "P0001")));

    // roles
    replay("a token with a bad signature is 401 PGRST301", c -> assertThatThrownBy(
        () -> c.from("notes").select("*").execute())
        .isInstanceOf(ConfigurationException.class).satisfies(e -> code(e, "PGRST301")));
    replay("a table the role has no privilege on is 401 42501 for anon", c -> assertThatThrownBy(
        () -> c.from("secrets").select("*").execute())
        .isInstanceOf(ConfigurationException.class).satisfies(e -> code(e, "42501")));
  }

  static Stream<ConformanceCase> replayed() {
    Map<String, ConformanceCase> byName = ConformanceCase.all().stream()
        .collect(Collectors.toMap(ConformanceCase::name, c -> c, (a, b) -> a, LinkedHashMap::new));
    return REPLAYS.keySet().stream().map(byName::get).filter(java.util.Objects::nonNull);
  }

  @Test
  void everyReplayNamesACaseTheTestkitHas() {
    Set<String> names = ConformanceCase.all().stream().map(ConformanceCase::name).collect(Collectors.toSet());
    assertThat(REPLAYS.keySet()).allSatisfy(n -> assertThat(names).as("conformance case names").contains(n));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replayed")
  void theClientSendsTheCaseRequestAndReadsItsAnswer(ConformanceCase c) throws Exception {
    List<ConformanceCase.Step> sent = c.steps().stream().filter(s -> s.request().action() == null).toList();
    sent.forEach(s -> server.enqueue(response(s.response())));

    try (PostgrestClient replaying = clientFor(c)) {
      REPLAYS.get(c.name()).run(replaying);
    }

    for (ConformanceCase.Step step : sent) {
      RecordedRequest actual = take();
      assertSame(step.request(), actual);
    }
    assertThat(server.getRequestCount()).as("requests the client sent").isEqualTo(sent.size());
  }

  /** The roles fixture signs its own tokens; a case that sends one gets a client whose key is that token. */
  private PostgrestClient clientFor(ConformanceCase c) {
    String auth = c.steps().get(0).request().headers().get("Authorization");
    if (auth != null && !auth.contains("{jwt:")) {
      return clientBuilder().apiKey(auth.substring("Bearer ".length())).build();
    }
    return clientBuilder().build();
  }

  private static void assertSame(ConformanceCase.Request expected, RecordedRequest actual) throws IOException {
    assertThat(actual.getMethod()).as("method").isEqualTo(expected.method());
    HttpUrl want = HttpUrl.get("http://localhost/rest/v1" + expected.path());
    assertThat(actual.getUrl().encodedPath()).as("path").isEqualTo(want.encodedPath());
    assertThat(query(actual.getUrl())).as("query parameters").isEqualTo(query(want));
    assertThat(tokens(actual.getHeaders().get("Prefer"))).as("Prefer")
        .isEqualTo(tokens(expected.headers().get("Prefer")));
    assertThat(accept(actual.getHeaders().get("Accept"))).as("Accept")
        .isEqualTo(accept(expected.headers().get("Accept")));
    expected.headers().forEach((name, value) -> {
      if (!Set.of("Prefer", "Accept", "Authorization").contains(name)) {
        assertThat(actual.getHeaders().get(name)).as(name).isEqualTo(value);
      }
    });
    if (expected.body() != null) {
      assertThat(JSON.readTree(actual.getBody().utf8())).as("body").isEqualTo(JSON.readTree(expected.body()));
    }
  }

  /** Query parameters as name=value in order of appearance; {@code select=*} is PostgREST's default. */
  private static List<String> query(HttpUrl url) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < url.querySize(); i++) {
      String name = url.queryParameterName(i);
      String value = url.queryParameterValue(i);
      if (name.equals("order") || name.endsWith(".order")) {
        value = value.replaceAll("\\.asc(?=,|\\.|$)", ""); // ascending is the default direction
      }
      String pair = name + "=" + value;
      if (!pair.equals("select=*")) {
        out.add(pair);
      }
    }
    out.sort(null);
    return out;
  }

  private static Set<String> tokens(String prefer) {
    return prefer == null ? Set.of()
        : Arrays.stream(prefer.split(",")).map(String::trim)
            .filter(t -> !t.isEmpty() && !t.equals("return=minimal")) // PostgREST's default for every write
            .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String accept(String accept) {
    return accept == null || accept.equals("*/*") ? "application/json" : accept;
  }

  private static MockResponse response(ConformanceCase.Response r) {
    MockResponse.Builder b = new MockResponse.Builder().code(r.status());
    r.headers().forEach((name, value) -> {
      if (value != null && !name.equalsIgnoreCase("Content-Length")) {
        b.setHeader(name, value);
      }
    });
    if (!r.body().isEmpty() && !r.headers().containsKey("Content-Type")) {
      b.setHeader("Content-Type", "application/json; charset=utf-8");
    }
    return b.body(r.body()).build();
  }

  private static void code(Throwable e, String code) {
    assertThat(e).isInstanceOf(HoldfastException.class);
    assertThat(((HoldfastException) e).details().code()).as("code").hasValue(code);
  }

}
