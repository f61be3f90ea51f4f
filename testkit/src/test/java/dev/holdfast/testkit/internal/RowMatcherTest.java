package dev.holdfast.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.testkit.internal.RowMatcher.Truth;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowMatcherTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  enum Color { RED, GREEN }

  private static ObjectNode row(String json) throws Exception {
    return (ObjectNode) MAPPER.readTree(json);
  }

  @Test
  void comparisonsWithNullAreUnknownAndStayUnknownUnderNot() throws Exception {
    ObjectNode row = row("{\"qty\":null,\"name\":\"a\"}");
    assertThat(RowMatcher.evaluate(row, Filter.eq("qty", 1))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, Filter.neq("qty", 1))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, Filter.eq("qty", 1).negate())).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, Filter.in("qty", List.of(1)))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, Filter.like("missing", "%"))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.matches(row, Filter.eq("qty", 1).negate())).isFalse();
  }

  @Test
  void andOrFollowKleeneLogic() throws Exception {
    ObjectNode row = row("{\"qty\":null,\"name\":\"a\"}");
    Filter unknown = Filter.gt("qty", 0);
    Filter yes = Filter.eq("name", "a");
    Filter no = Filter.eq("name", "b");
    assertThat(RowMatcher.evaluate(row, unknown.and(yes))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, unknown.and(no))).isEqualTo(Truth.FALSE);
    assertThat(RowMatcher.evaluate(row, unknown.or(yes))).isEqualTo(Truth.TRUE);
    assertThat(RowMatcher.evaluate(row, unknown.or(no))).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, unknown.or(no).negate())).isEqualTo(Truth.UNKNOWN);
    assertThat(RowMatcher.evaluate(row, Filter.all())).isEqualTo(Truth.TRUE);
    assertThat(RowMatcher.evaluate(row, Filter.anyOf())).isEqualTo(Truth.FALSE);
  }

  @Test
  void isNullTreatsMissingAndJsonNullAsNullAndIsNeverUnknown() throws Exception {
    ObjectNode row = row("{\"a\":null,\"b\":0,\"c\":\"\"}");
    assertThat(RowMatcher.matches(row, Filter.isNull("a"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.isNull("missing"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.isNull("b"))).isFalse();
    assertThat(RowMatcher.matches(row, Filter.isNotNull("c"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.isNull("a").negate())).isFalse();
  }

  @Test
  void emptyInMatchesNothingEvenForNull() throws Exception {
    ObjectNode row = row("{\"a\":null,\"b\":1}");
    assertThat(RowMatcher.evaluate(row, Filter.in("a", List.of()))).isEqualTo(Truth.FALSE);
    assertThat(RowMatcher.evaluate(row, Filter.in("b", List.of()))).isEqualTo(Truth.FALSE);
    assertThat(RowMatcher.matches(row, Filter.in("b", List.of(1L, 2)))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.in("b", List.of(new BigDecimal("1.00"))))).isTrue();
  }

  @Test
  void comparesNumbersNumericallyAcrossLongAndDecimal() throws Exception {
    ObjectNode row = row("{\"i\":10,\"d\":10.50,\"big\":9007199254740993}");
    assertThat(RowMatcher.matches(row, Filter.eq("i", new BigDecimal("10.0")))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.lt("i", 10.5))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("i", 9))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("i", 9.99f))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("d", 10.5))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("d", 10))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("big", 9007199254740993L))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("big", 9007199254740992L))).isFalse();
    assertThat(RowMatcher.matches(row, Filter.eq("i", "10"))).isTrue();
  }

  @Test
  void comparesTimestampsWithOffsetsAsInstants() throws Exception {
    ObjectNode row = row("{\"at\":\"2026-01-01T10:00:00.5+02:00\",\"day\":\"2026-01-02\"}");
    assertThat(RowMatcher.matches(row, Filter.eq("at", Instant.parse("2026-01-01T08:00:00.500Z")))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("at", "2026-01-01 08:00:00.5+00"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("at", "2026-01-01 08:00:00.5+00:00"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("at", OffsetDateTime.parse("2026-01-01T09:59:59+02:00"))))
        .isTrue();
    assertThat(RowMatcher.matches(row, Filter.lt("at", ZonedDateTime.parse("2026-01-01T09:00:01+01:00[Europe/Paris]"))))
        .isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("day", LocalDate.parse("2026-01-01")))).isTrue();
  }

  @Test
  void comparesTextByCodePoint() throws Exception {
    ObjectNode row = row("{\"s\":\"\uFFFD\"}");
    // U+1F980 sorts after U+FFFD by code point although its first UTF-16 unit (0xD83E) sorts before.
    assertThat(RowMatcher.matches(row, Filter.lt("s", "🦀"))).isTrue();
    assertThat(RowMatcher.matches(row(("{\"s\":\"B\"}")), Filter.lt("s", "a"))).isTrue();
    assertThat(RowMatcher.matches(row(("{\"s\":\"ab\"}")), Filter.gt("s", "a"))).isTrue();
  }

  @Test
  void convertsJavaValuesOfEverySupportedType() throws Exception {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    ObjectNode row = row("{\"u\":\"" + id + "\",\"e\":\"GREEN\",\"c\":\"x\",\"b\":true}");
    assertThat(RowMatcher.matches(row, Filter.eq("u", id))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("e", Color.GREEN))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.neq("e", Color.RED))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("c", 'x'))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("b", true))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.gt("b", false))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.eq("b", "t"))).isTrue();
  }

  @Test
  void rejectsValuesThatCannotBeReadAsTheColumnsType() throws Exception {
    ObjectNode row = row("{\"n\":1,\"b\":true,\"s\":\"x\"}");
    assertThatThrownBy(() -> RowMatcher.matches(row, Filter.eq("n", "one")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("22P02"));
    assertThatThrownBy(() -> RowMatcher.matches(row, Filter.eq("b", "maybe")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("22P02"));
    assertThatThrownBy(() -> RowMatcher.matches(row, Filter.eq("n", true)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("42883"));
    assertThatThrownBy(() -> RowMatcher.matches(row, Filter.like("n", "1%")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("42883"));
  }

  @Test
  void comparesJsonColumnsByValue() throws Exception {
    ObjectNode row = row("{\"j\":{\"a\":[1,2]}}");
    assertThat(RowMatcher.matches(row, Filter.eq("j", "{\"a\": [1, 2]}"))).isTrue();
    assertThat(RowMatcher.matches(row, Filter.neq("j", "{\"a\":[2,1]}"))).isTrue();
    assertThatThrownBy(() -> RowMatcher.matches(row, Filter.eq("j", "{not json")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void listsTheColumnsAFilterNames() {
    Filter f = Filter.allOf(Filter.eq("a", 1), Filter.anyOf(Filter.isNull("b"), Filter.like("c", "%").negate()),
        Filter.in("a", List.of()));
    assertThat(RowMatcher.columns(f)).containsExactly("a", "b", "c");
  }
}
