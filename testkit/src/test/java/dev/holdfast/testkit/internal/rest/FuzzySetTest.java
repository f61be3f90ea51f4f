package dev.holdfast.testkit.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hint examples of PostgREST 13's Error.hs doctests, through the fuzzyset port. */
class FuzzySetTest {
  @Test
  void suggestsTheClosestTableOrNone() {
    FuzzySet parents = new FuzzySet(List.of("films"));
    FuzzySet children = new FuzzySet(List.of("directors", "roles", "actors"));

    assertThat(parents.getOne("film")).isEqualTo("films");
    assertThat(children.getOne("role")).isEqualTo("roles");
    assertThat(parents.getOne("noclosealternative")).isNull();
    assertThat(children.getOne("noclosealternative")).isNull();
    assertThat(children.get("actors")).hasSize(1).allSatisfy(m -> assertThat((Double) m[0]).isEqualTo(1.0));
  }

  @Test
  void suggestsTheClosestFunctionName() {
    FuzzySet procs = new FuzzySet(List.of("test", "another"));

    assertThat(procs.getOne("testt")).isEqualTo("test");
    assertThat(procs.getOne("other")).isEqualTo("another");
    assertThat(procs.getOne("noclosealternative")).isNull();
  }

  @Test
  void suggestsTheClosestParameterList() {
    FuzzySet params = new FuzzySet(List.of("(name, param, val)", "(attr, id)"));

    assertThat(params.getOne("(nam, pqaram, vall)")).isEqualTo("(name, param, val)");
    assertThat(params.getOne("(param, val)")).isEqualTo("(name, param, val)");
    assertThat(params.getOne("(attrs, id)")).isEqualTo("(attr, id)");
    assertThat(params.getOne("(id)")).isEqualTo("(attr, id)");
    assertThat(params.getOne("(noclosealternative)")).isNull();
  }
}
