package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
 * ISO-8601 strings to and from the {@code java.time} types rows hold, so that typed results
 * ({@link dev.holdfast.postgrest.PostgrestResponse#as}) work with the client's default mapper, which has only
 * jackson-databind to lean on. PostgREST writes {@code timestamptz} as {@code 2026-03-04T05:06:07.123456+00:00}.
 * Thread-safe once registered.
 */
public final class JavaTime {
  private JavaTime() {}

  /** The module. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("holdfast-postgrest-java-time");
    add(module, Instant.class, text -> OffsetDateTime.parse(text).toInstant(), Instant::parse);
    add(module, OffsetDateTime.class, OffsetDateTime::parse, null);
    add(module, ZonedDateTime.class, ZonedDateTime::parse, null);
    add(module, LocalDateTime.class, LocalDateTime::parse, null);
    add(module, LocalDate.class, LocalDate::parse, null);
    add(module, LocalTime.class, LocalTime::parse, null);
    return module;
  }

  private static <T> void add(SimpleModule module, Class<T> type, Function<String, T> parse,
      Function<String, T> fallback) {
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
        if (text == null || text.isBlank()) {
          return null;
        }
        // PostgreSQL's own text form puts a space between date and time; ISO-8601 wants a T.
        String iso = text.length() > 10 && text.charAt(10) == ' '
            ? text.substring(0, 10) + 'T' + text.substring(11).trim() : text.trim();
        try {
          return parse.apply(iso);
        } catch (DateTimeParseException e) {
          try {
            if (fallback != null) {
              return fallback.apply(iso);
            }
          } catch (DateTimeParseException ignored) {
            // reported below
          }
          return type.cast(ctxt.handleWeirdStringValue(type, text, "not an ISO-8601 %s", type.getSimpleName()));
        }
      }
    });
  }
}
