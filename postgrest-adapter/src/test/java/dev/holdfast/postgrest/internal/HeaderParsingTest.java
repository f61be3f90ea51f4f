package dev.holdfast.postgrest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeaderParsingTest {
  @Test
  void readsContentRangeWithTotal() {
    ContentRange r = ContentRange.parse("0-24/3573");
    assertThat(r).isEqualTo(new ContentRange(0, 24, 3573));
    assertThat(r.count()).isEqualTo(OptionalLong.of(3573));
  }

  @Test
  void readsEmptyAndUnknownContentRanges() {
    assertThat(ContentRange.parse("*/0").count()).isEqualTo(OptionalLong.of(0));
    assertThat(ContentRange.parse("*/*").count()).isEmpty();
    assertThat(ContentRange.parse("0-9/*").count()).isEmpty();
    assertThat(ContentRange.parse("items 5-9/10").count()).isEqualTo(OptionalLong.of(10));
  }

  @Test
  void ignoresMalformedContentRange() {
    assertThat(ContentRange.parse(null)).isNull();
    assertThat(ContentRange.parse("garbage")).isNull();
    assertThat(ContentRange.parse("a-b/c")).isNull();
  }

  @Test
  void readsRetryAfterSeconds() {
    assertThat(RetryAfter.parse("7", Instant.EPOCH)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void readsRetryAfterHttpDateRelativeToNow() {
    Instant now = Instant.parse("2015-10-21T07:27:30Z");
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now)).isEqualTo(Duration.ZERO);
  }

  @Test
  void capsHugeRetryAfterAndIgnoresGarbage() {
    assertThat(RetryAfter.parse("99999999999999999999", Instant.EPOCH)).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.parse("soon", Instant.EPOCH)).isNull();
    assertThat(RetryAfter.parse(null, Instant.EPOCH)).isNull();
  }

  @Test
  void readsErrorCodeFromProxyStatus() {
    assertThat(ErrorMapper.ErrorResponse.proxyStatusError("PostgREST; error=PGRST116")).isEqualTo("PGRST116");
    assertThat(ErrorMapper.ErrorResponse.proxyStatusError("cloudflare; error=\"connection_timeout\""))
        .isEqualTo("connection_timeout");
    assertThat(ErrorMapper.ErrorResponse.proxyStatusError(null)).isNull();
  }
}
