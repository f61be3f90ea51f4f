package dev.holdfast.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Jackson set-up shared by every backend: one way to turn rows into records. Internal: not part of the public API.
 *
 * <p>Core depends on jackson-databind only, so it carries a small module for the {@code java.time} types that
 * rows hold; users who register jackson-datatype-jsr310 on their own mapper get that module's behaviour instead.
 */
public final class Json {
  private static final ObjectMapper DEFAULT = newMapper();

  private Json() {}

  /** A mapper with holdfast's java.time handling and lenient unknown-column handling. Thread-safe once built. */
  public static ObjectMapper newMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModule(javaTimeModule());
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    exactNumbers(mapper);
    return mapper;
  }

  /**
   * Keeps decimals exact: numeric(12,2) 12.50 stays 12.50 rather than becoming the double 12.5 or losing its
   * scale (Jackson's default node factory strips trailing zeros).
   */
  private static void exactNumbers(ObjectMapper mapper) {
    mapper.setNodeFactory(new JsonNodeFactory(true));
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  /** The shared default mapper (no naming strategy). Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return DEFAULT;
  }

  /** A copy of {@code base} (or of the default) that maps record components to columns. */
  public static ObjectMapper rowMapper(ObjectMapper base, boolean snakeCase) {
    ObjectMapper mapper = base == null ? newMapper() : base.copy();
    if (base != null) {
      mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
      exactNumbers(mapper);
    }
    if (snakeCase) {
      mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
    mapper.registerModule(sqlNullJson());
    return mapper;
  }

  /**
   * A json/jsonb column that holds SQL NULL arrives as a JSON {@code null}, which Jackson would make a
   * {@code NullNode}; in a record it is a {@code null} component, as on every backend. Nested JSON nulls stay
   * {@code NullNode}s: only the column's own null is SQL NULL.
   */
  private static SimpleModule sqlNullJson() {
    SimpleModule module = new SimpleModule("holdfast-sql-null-json");
    module.addDeserializer(JsonNode.class, new SqlNullJson());
    return module;
  }

  private static final class SqlNullJson extends StdDeserializer<JsonNode> {
    private static final long serialVersionUID = 1L;
    private final transient JsonDeserializer<? extends JsonNode> nodes = JsonNodeDeserializer.getDeserializer(
        JsonNode.class);

    SqlNullJson() {
      super(JsonNode.class);
    }

    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return nodes.deserialize(p, ctxt);
    }

    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
      return null;
    }
  }

  /** {@code createdAt} to {@code created_at}, the same way Jackson's SNAKE_CASE strategy does it. */
  public static String toSnakeCase(String name) {
    return ((PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE).translate(name);
  }

  /** Serializers and deserializers for the java.time types rows commonly hold, as ISO-8601 strings. */
  public static SimpleModule javaTimeModule() {
    SimpleModule module = new SimpleModule("holdfast-java-time");
    add(module, Instant.class, Json::parseInstant);
    add(module, OffsetDateTime.class, OffsetDateTime::parse);
    add(module, ZonedDateTime.class, ZonedDateTime::parse);
    add(module, LocalDateTime.class, LocalDateTime::parse);
    add(module, LocalDate.class, LocalDate::parse);
    add(module, LocalTime.class, LocalTime::parse);
    return module;
  }

  /** Parses an ISO instant, also accepting an offset such as {@code +00:00} or a space before the time. */
  public static Instant parseInstant(String text) {
    String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
        : text;
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.parse(iso);
    }
  }

  private static <T> void add(SimpleModule module, Class<T> type, Function<String, T> parse) {
    module.addSerializer(type, new JsonSerializer<T>() {
      @Override
      public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(value.toString());
      }
    });
    module.addDeserializer(type, new JsonDeserializer<T>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getValueAsString();
        if (text == null || text.isEmpty()) {
          return null;
        }
        try {
          return parse.apply(text.trim());
        } catch (DateTimeParseException e) {
          return type.cast(ctxt.handleWeirdStringValue(type, text, "not an ISO-8601 %s", type.getSimpleName()));
        }
      }
    });
  }
}
