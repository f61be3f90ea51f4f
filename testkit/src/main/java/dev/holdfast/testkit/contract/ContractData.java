package dev.holdfast.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The contract suite's data and comparison helpers. Values compare the way a database returns them: a
 * {@code numeric(12,2)} of {@code 10} comes back as {@code 10.00}, and JSON numbers may come back as another
 * Java number type, so records are compared after {@link #normalize}. Thread-safe.
 */
public final class ContractData {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Six rows with NULLs spread over every optional column, so that each operator, NULL rule and sort order has
   * something to prove. Names are lower-case ASCII letters, so they sort alike under every collation.
   */
  public static final List<ContractItem> SEED = List.of(
      ContractItem.named("alpha").withQty(10).withPrice("1.50").withActive(true).withTags(json("{\"k\":\"v\"}"))
          .withCreatedAt("2026-01-01T00:00:00Z").withNote("plain"),
      ContractItem.named("bravo").withQty(20).withPrice("2.25").withActive(false).withTags(json("[\"x\",\"y\"]"))
          .withCreatedAt("2026-01-02T00:00:00.123456Z"),
      ContractItem.named("charlie").withPrice("10.00").withActive(true).withNote("50% off"),
      ContractItem.named("delta").withQty(5).withActive(true).withCreatedAt("2026-01-03T12:00:00Z")
          .withNote("under_score"),
      ContractItem.named("echo").withQty(20).withPrice("0.99").withActive(false)
          .withCreatedAt("2026-01-01T00:00:00.000001Z").withNote("back\\slash"),
      ContractItem.named("foxtrot").withQty(-3).withPrice("100.00").withActive(true).withTags(json("{\"n\":1}"))
          .withCreatedAt("2025-12-31T23:59:59.999999Z").withNote("Mixed Case"));

  /**
   * Strings that break naive quoting or URL encoding. Each must be stored and read back literally and match
   * itself in filters.
   */
  public static final List<String> HOSTILE = List.of(
      "it's", "say \"hi\"", "semi;colon", "'); DROP TABLE contract_items; --", "\"); DROP TABLE contract_kv; --",
      "back\\slash", "trailing\\", "\\\\double", "a,b,c", "(paren)", "in.(1,2)", "star*", "100%", "under_score",
      "plus+sign", "amp&ersand", "eq=ual", "q?uery#frag", "slash/and space", "new\nline\ttab\r", "nbsp\u00a0",
      "Ünïcödé ß", "emoji 🦀🎉👍🏽", "עברית مرحبا", "中文字符", "", " leading and trailing ", "null", "NULL",
      "true", "42", "{\"json\":1}", "[1,2]", "%_\\");

  private ContractData() {}

  /** {@code text} parsed as JSON. */
  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of {@code items}, in order. */
  public static List<String> names(Collection<ContractItem> items) {
    return items.stream().map(ContractItem::name).toList();
  }

  /** The ids of {@code items}, in order. */
  public static List<Long> ids(Collection<ContractItem> items) {
    return items.stream().map(ContractItem::id).toList();
  }

  /** {@code items} with prices without trailing zeros and JSON numbers as decimals, so equal values are equal. */
  public static List<ContractItem> normalize(Collection<ContractItem> items) {
    return items.stream().map(ContractData::normalize).toList();
  }

  /** {@code item} normalized; see {@link #normalize(Collection)}. */
  public static ContractItem normalize(ContractItem item) {
    BigDecimal price = item.price() == null ? null : normalize(item.price());
    return new ContractItem(item.id(), item.name(), item.qty(), price, item.active(), normalize(item.tags()),
        item.createdAt(), item.note());
  }

  /**
   * {@code node} with every number as a decimal without trailing zeros. Null and JSON null are both null:
   * Jackson reads a NULL column into a {@code JsonNode} component as {@code NullNode}.
   */
  public static JsonNode normalize(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return JsonNodeFactory.instance.numberNode(normalize(node.decimalValue()));
    } else if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.set(e.getKey(), normalize(e.getValue()));
      }
      return out;
    } else if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> out.add(normalize(e)));
      return out;
    }
    return node;
  }

  private static BigDecimal normalize(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** What the database stores for {@code item} inserted with {@code id}: a NULL {@code active} becomes true. */
  public static ContractItem stored(ContractItem item, Long id) {
    return item.withId(id).withActive(item.active() == null ? Boolean.TRUE : item.active());
  }

  /** {@code count} items named {@code prefix-0000}, {@code prefix-0001}, ... with qty = index. */
  public static List<ContractItem> numbered(String prefix, int count) {
    List<ContractItem> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(ContractItem.named(String.format("%s-%04d", prefix, i)).withQty(i).withActive(true));
    }
    return out;
  }
}
