package dev.holdfast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;

/** Row values as filter values. Internal; stateless. */
final class Scalars {
  private Scalars() {}

  /** A row's JSON value as a filter value (string, number or boolean), for keyset paging. */
  static Object of(JsonNode value, String column) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw new InvalidRequestException("Keyset paging needs a non-null value in column '" + column + "'",
          ErrorDetails.of("holdfast").withHint("Order keyset pages by non-null columns, or use offset paging."),
          null);
    }
    if (value.isTextual()) {
      return value.textValue();
    } else if (value.isBoolean()) {
      return value.booleanValue();
    } else if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    } else if (value.isNumber()) {
      return value.decimalValue();
    }
    return value.toString();
  }
}
