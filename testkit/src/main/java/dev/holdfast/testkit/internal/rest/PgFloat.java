package dev.holdfast.testkit.internal.rest;

import java.math.BigDecimal;

/**
 * {@code float8out}/{@code float4out}: the shortest digits that read back to the same value, in fixed notation
 * unless the decimal exponent is below -4 or at least 15 (6 for {@code real}), then as {@code 1.5e+20}. The
 * digits come from Java's {@code Double.toString}, which on Java 17 is shortest in all but rare cases.
 */
final class PgFloat {
  private PgFloat() {}

  static String format(double d, boolean single) {
    if (Double.isNaN(d)) {
      return "\"NaN\"";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal v = new BigDecimal(single ? Float.toString((float) d) : Double.toString(d)).stripTrailingZeros();
    int exponent = v.precision() - v.scale() - 1;
    if (exponent < -4 || exponent >= (single ? 6 : 15)) {
      String digits = v.unscaledValue().abs().toString();
      StringBuilder out = new StringBuilder(v.signum() < 0 ? "-" : "");
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      out.append(abs < 10 ? "0" : "").append(abs);
      return out.toString();
    }
    return v.toPlainString();
  }
}
