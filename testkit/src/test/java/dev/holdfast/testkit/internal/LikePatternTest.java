package dev.holdfast.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import org.junit.jupiter.api.Test;

class LikePatternTest {
  private static boolean like(String text, String pattern) {
    return LikePattern.compile(pattern, false).matches(text);
  }

  @Test
  void percentMatchesAnyRunIncludingNone() {
    assertThat(like("", "%")).isTrue();
    assertThat(like("abc", "a%c")).isTrue();
    assertThat(like("ac", "a%c")).isTrue();
    assertThat(like("abcbc", "a%bc")).isTrue();
    assertThat(like("abcbd", "a%bc")).isFalse();
    assertThat(like("aXbYc", "%b%")).isTrue();
    assertThat(like("abc", "a%%%c")).isTrue();
  }

  @Test
  void underscoreMatchesExactlyOneCodePoint() {
    assertThat(like("abc", "a_c")).isTrue();
    assertThat(like("ac", "a_c")).isFalse();
    assertThat(like("a🦀c", "a_c")).isTrue();
    assertThat(like("", "_")).isFalse();
  }

  @Test
  void backslashMakesTheNextCharacterLiteral() {
    assertThat(like("50%", "50\\%")).isTrue();
    assertThat(like("500", "50\\%")).isFalse();
    assertThat(like("a_b", "a\\_b")).isTrue();
    assertThat(like("axb", "a\\_b")).isFalse();
    assertThat(like("a\\b", "a\\\\b")).isTrue();
    assertThat(like("ab", "\\a\\b")).isTrue();
  }

  @Test
  void escapeLikeOutputMatchesItselfOnly() {
    for (String text : new String[] {"100%", "a_b", "back\\", "%_\\", "plain"}) {
      assertThat(like(text, Filter.escapeLike(text))).as(text).isTrue();
      assertThat(like(text + "x", Filter.escapeLike(text))).as(text).isFalse();
    }
  }

  @Test
  void aTrailingEscapeIsAnInvalidPattern() {
    assertThatThrownBy(() -> LikePattern.compile("abc\\", false))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("22025"));
  }

  @Test
  void ilikeIgnoresCaseAlsoBeyondAscii() {
    assertThat(LikePattern.compile("%ÜBER%", true).matches("drüber")).isTrue();
    assertThat(LikePattern.compile("%ÜBER%", false).matches("drüber")).isFalse();
    assertThat(LikePattern.compile("A\\_B", true).matches("a_b")).isTrue();
  }

  @Test
  void pathologicalPatternsFinish() {
    String text = "a".repeat(5_000);
    assertThat(like(text, "%a%a%a%a%a%b")).isFalse();
    assertThat(like(text + "b", "%a%a%a%a%a%b")).isTrue();
  }
}
