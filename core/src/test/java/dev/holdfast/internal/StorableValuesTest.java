package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.InvalidRequestException;
import org.junit.jupiter.api.Test;

class StorableValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An array nested {@code depth} deep, with {@code leaf} in the innermost object. */
  private static ArrayNode nested(int depth, String leaf) {
    ArrayNode root = JSON.createArrayNode();
    ArrayNode at = root;
    for (int i = 0; i < depth; i++) {
      at = at.addArray();
    }
    ObjectNode inner = at.addObject();
    inner.put("note", leaf);
    return root;
  }

  @Test
  void aValueNestedFarDeeperThanTheStackIsCheckedWithoutOverflowingIt() {
    ArrayNode deep = nested(200_000, "fine");

    assertThat(Values.requireStorable(deep, "tags")).isSameAs(deep);
  }

  @Test
  void aNulAtAnyDepthOrInAFieldNameIsRefused() {
    assertThatThrownBy(() -> Values.requireStorable(nested(200_000, "a\u0000b"), "tags"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("column tags");
    ObjectNode key = JSON.createObjectNode();
    key.putObject("outer").put("bad\u0000key", 1);
    assertThatThrownBy(() -> Values.requireStorable(key, "data"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("field name");
  }
}
