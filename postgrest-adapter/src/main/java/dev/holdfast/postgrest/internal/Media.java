package dev.holdfast.postgrest.internal;

import java.util.List;

/**
 * What a request asks PostgREST to answer with, and the {@code Accept} header that says so (PostgREST's
 * {@code MediaType.hs}): JSON (optionally one object, optionally with null keys stripped), CSV or GeoJSON, or the
 * query plan of any of them. Immutable.
 */
public enum Media {
  JSON, CSV, GEOJSON;

  /**
   * The {@code Accept} header, or null for PostgREST's default {@code application/json}.
   *
   * @param plan the plan's media type ({@code application/vnd.pgrst.plan+json}), or null for the result itself
   * @param planOptions the plan's options ({@code analyze}, {@code buffers}, ...)
   */
  public String accept(boolean single, boolean stripNulls, String plan, List<String> planOptions) {
    String type = switch (this) {
      case CSV -> "text/csv";
      case GEOJSON -> "application/geo+json";
      case JSON -> single ? "application/vnd.pgrst.object+json" + (stripNulls ? ";nulls=stripped" : "")
          : stripNulls ? "application/vnd.pgrst.array+json;nulls=stripped" : null;
    };
    if (plan == null) {
      return type;
    }
    return plan + "; for=\"" + (type == null ? "application/json" : type) + "\""
        + (planOptions.isEmpty() ? "" : "; options=" + String.join("|", planOptions));
  }

  /** Whether the answer is text rather than JSON. */
  public boolean isText(boolean textPlan, boolean plan) {
    return plan ? textPlan : this == CSV;
  }
}
