package dev.holdfast.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Order;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowOrderingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> sort(String rowsJson, Order... keys) throws Exception {
    List<ObjectNode> rows = new ArrayList<>();
    MAPPER.readTree(rowsJson).forEach(n -> rows.add((ObjectNode) n));
    rows.sort(RowOrdering.comparator(List.of(keys)));
    return rows.stream().map(r -> r.get("k").asText()).toList();
  }

  private static final String ROWS = "[{\"k\":\"a\",\"v\":10},{\"k\":\"b\",\"v\":null},{\"k\":\"c\",\"v\":9.5},"
      + "{\"k\":\"d\"},{\"k\":\"e\",\"v\":-1}]";

  @Test
  void nullsAreLastAscendingAndFirstDescendingByDefault() throws Exception {
    assertThat(sort(ROWS, Order.asc("v"))).containsExactly("e", "c", "a", "b", "d");
    assertThat(sort(ROWS, Order.desc("v"))).containsExactly("b", "d", "a", "c", "e");
  }

  @Test
  void nullsGoWhereTheKeySays() throws Exception {
    assertThat(sort(ROWS, Order.asc("v").nullsFirst())).containsExactly("b", "d", "e", "c", "a");
    assertThat(sort(ROWS, Order.desc("v").nullsLast())).containsExactly("a", "c", "e", "b", "d");
  }

  @Test
  void laterKeysBreakTies() throws Exception {
    String rows = "[{\"k\":\"1\",\"g\":1,\"n\":\"b\"},{\"k\":\"2\",\"g\":2,\"n\":\"a\"},"
        + "{\"k\":\"3\",\"g\":1,\"n\":\"a\"},{\"k\":\"4\",\"g\":2,\"n\":null}]";
    assertThat(sort(rows, Order.desc("g"), Order.asc("n"))).containsExactly("2", "4", "3", "1");
    assertThat(sort(rows, Order.asc("g"), Order.desc("n"))).containsExactly("1", "3", "4", "2");
  }

  @Test
  void withoutKeysTheOrderIsKept() throws Exception {
    assertThat(sort(ROWS)).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void sortsNumbersNumericallyAndTimestampsByInstant() throws Exception {
    String numbers = "[{\"k\":\"a\",\"v\":100},{\"k\":\"b\",\"v\":20.5},{\"k\":\"c\",\"v\":3}]";
    assertThat(sort(numbers, Order.asc("v"))).containsExactly("c", "b", "a");
    String times = "[{\"k\":\"a\",\"v\":\"2026-01-01T10:00:00+02:00\"},{\"k\":\"b\",\"v\":\"2026-01-01T09:00:00Z\"},"
        + "{\"k\":\"c\",\"v\":\"2026-01-01T08:30:00.000001Z\"}]";
    assertThat(sort(times, Order.asc("v"))).containsExactly("a", "c", "b");
  }

  @Test
  void sortKeepsAConsistentOrderInAColumnMixingTimestampsAndText() throws Exception {
    // Pairwise, A < B as instants, but B < C < A by code point: a cycle that could break a sort.
    String rows = "[{\"k\":\"A\",\"v\":\"2026-01-01T10:00:00+02:00\"},{\"k\":\"B\",\"v\":\"2026-01-01T09:00:00Z\"},"
        + "{\"k\":\"C\",\"v\":\"2026-01-01T09:30:00 not a time\"},{\"k\":\"D\",\"v\":null}]";
    List<ObjectNode> list = new ArrayList<>();
    MAPPER.readTree(rows).forEach(n -> list.add((ObjectNode) n));
    RowOrdering.sort(list, List.of(Order.asc("v")));
    assertThat(list.stream().map(r -> r.get("k").asText())).containsExactly("B", "C", "A", "D");
    RowOrdering.sort(list, List.of(Order.desc("v")));
    assertThat(list.stream().map(r -> r.get("k").asText())).containsExactly("D", "A", "C", "B");
  }

  @Test
  void sortComparesATimestampColumnByInstant() throws Exception {
    String rows = "[{\"k\":\"a\",\"v\":\"2026-01-01T10:00:00+02:00\"},{\"k\":\"b\",\"v\":\"2026-01-01T09:00:00Z\"},"
        + "{\"k\":\"c\",\"v\":null},{\"k\":\"d\",\"v\":\"2026-01-01 08:30:00.000001+00\"}]";
    List<ObjectNode> list = new ArrayList<>();
    MAPPER.readTree(rows).forEach(n -> list.add((ObjectNode) n));
    RowOrdering.sort(list, List.of(Order.asc("v").nullsFirst()));
    assertThat(list.stream().map(r -> r.get("k").asText())).containsExactly("c", "a", "d", "b");
  }

  @Test
  void sortsBooleansFalseFirst() throws Exception {
    String rows = "[{\"k\":\"t\",\"v\":true},{\"k\":\"f\",\"v\":false}]";
    assertThat(sort(rows, Order.asc("v"))).containsExactly("f", "t");
  }
}
