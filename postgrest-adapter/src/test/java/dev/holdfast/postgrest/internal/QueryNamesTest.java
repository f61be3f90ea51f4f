package dev.holdfast.postgrest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Identifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryNamesTest {
  @Test
  void theFastIdentifierCheckAgreesWithIdentifier() {
    List<String> names = List.of("a", "_", "A1", "tasks", "x".repeat(63), "x".repeat(64), "", "1a", "a-b", "a b",
        "ä", "a.b", "a;", "Z9_", "_1", "9", "a\n", "ab\u0000");
    for (String name : names) {
      Throwable fast = catchThrowable(() -> QueryNames.requireIdentifier(name, "table"));
      assertThat(fast == null).as(name).isEqualTo(Identifier.isValid(name));
    }
    assertThat(catchThrowable(() -> QueryNames.requireIdentifier(null, "table")))
        .isInstanceOf(NullPointerException.class);
  }
}
