package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * JSON nodes that remember how PostgreSQL prints a value: a {@code numeric} in plain notation, a {@code json}
 * value as the exact text it was given, a {@code jsonb} value in jsonb's normalised form, and the result of
 * {@code json_agg}. Jackson serialises {@code json}/{@code jsonb} the same way, so rows an {@code InMemoryBackend}
 * returns read right.
 */
public final class PgNodes {
  private PgNodes() {}

  /** A {@code numeric}: exact, printed without an exponent as {@code numeric_out} prints it. */
  public static final class Numeric extends DecimalNode {
    private static final long serialVersionUID = 1L;

    public Numeric(BigDecimal v) {
      super(v);
    }

    @Override
    public String asText() {
      return decimalValue().toPlainString();
    }
  }

  /** A POJO that Jackson writes as the raw JSON it holds. */
  private record Raw(String json) implements JsonSerializable {
    @Override
    public void serialize(JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeRawValue(json);
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider p, TypeSerializer t) throws IOException {
      serialize(g, p);
    }
  }

  /** A {@code json} value: the text as given, and its parsed form for comparisons. */
  public static final class JsonText extends POJONode {
    private static final long serialVersionUID = 1L;
    private final transient JsonNode tree;

    public JsonText(String raw, JsonNode tree) {
      super(new Raw(raw));
      this.tree = tree;
    }

    public String raw() {
      return ((Raw) getPojo()).json();
    }

    public JsonNode tree() {
      return tree;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof JsonText j && j.raw().equals(raw());
    }

    @Override
    public int hashCode() {
      return Objects.hash(raw());
    }

    @Override
    public String toString() {
      return raw();
    }
  }

  /** A {@code jsonb} value: normalised (keys ordered, duplicates dropped, numbers exact), printed with spaces. */
  public static final class Jsonb extends POJONode {
    private static final long serialVersionUID = 1L;

    private final transient JsonNode tree;

    public Jsonb(JsonNode tree) {
      super(new Raw(PgJson.jsonb(tree)));
      this.tree = tree;
    }

    public JsonNode tree() {
      return tree;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Jsonb j && j.tree().equals(tree());
    }

    @Override
    public int hashCode() {
      return tree().hashCode();
    }

    @Override
    public String toString() {
      return PgJson.jsonb(tree());
    }
  }

  /** The array {@code json_agg} builds: PostgreSQL separates its elements with {@code ", \n "}. */
  // Jackson's own ArrayNode.deepCopy() narrows JsonNode's generic <T> deepCopy(); javac flags the inherited pair in
  // every subclass.
  @SuppressWarnings("unchecked")
  public static final class Agg extends ArrayNode {
    private static final long serialVersionUID = 1L;

    public Agg() {
      super(new JsonNodeFactory(true));
    }
  }
}
