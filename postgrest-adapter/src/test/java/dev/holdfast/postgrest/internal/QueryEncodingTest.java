package dev.holdfast.postgrest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class QueryEncodingTest {
  private static final List<String> HOSTILE = List.of("plain", "a&select=secret", "x=y", "#frag", "1+1", "100%",
      "%41", "sp ace", "tab\tnew\nline", "ünï", "😀 emoji", "中文", "a\"b\\c", "(a,b)", "data->>x", "?q", "/",
      "", "\u007f", "~._-", "'quote'", "[x]{y}|z^`<>");

  @Test
  void everyValueDecodesBackToItselfAndNothingEndsAParameter() {
    List<QueryParam> params = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      params.add(new QueryParam("k" + i + HOSTILE.get(i), HOSTILE.get(i)));
    }

    String query = QueryEncoding.query(params);
    HttpUrl url = HttpUrl.get("http://h/t").newBuilder().encodedQuery(query).build();

    assertThat(query).doesNotContain("+").doesNotContain(" ").doesNotContain("#").doesNotContain("\n");
    assertThat(url.querySize()).isEqualTo(HOSTILE.size());
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertThat(url.queryParameterName(i)).isEqualTo("k" + i + HOSTILE.get(i));
      assertThat(url.queryParameterValue(i)).isEqualTo(HOSTILE.get(i));
    }
  }

  @Test
  void noQueryIsNull() {
    assertThat(QueryEncoding.query(List.of())).isNull();
  }

  @Test
  void anUnpairedSurrogateIsRefusedRatherThanSentAsAQuestionMark() {
    for (String bad : List.of("a\uD800b", "\uDC00", "end\uD83D")) {
      assertThatThrownBy(() -> FilterEncoder.encode(Filter.eq("name", bad))).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("unpaired surrogate");
    }
    assertThat(FilterEncoder.encode(Filter.eq("name", "ok 😀"))).isPresent();
  }
}
