package dev.holdfast.postgrest.internal;

import java.util.Objects;

/**
 * One query-string parameter before percent-encoding (OkHttp's {@code addQueryParameter} encodes both parts, so
 * {@code &}, {@code =}, {@code #} and {@code +} in either can never change the URL's shape). Immutable.
 *
 * @param name the parameter's name, such as {@code id} or {@code or}
 * @param value the parameter's value, such as {@code eq.5}
 */
public record QueryParam(String name, String value) {
  public QueryParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
