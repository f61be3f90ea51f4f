package dev.holdfast.testkit;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * How a {@link MockPostgrest} is configured, copied from its builder. Immutable.
 *
 * @param schemas the exposed schemas ({@code db-schemas}), the first the default
 * @param anonRole the role of requests without a token ({@code db-anon-role})
 * @param jwtSecret the HS256 secret; null turns roles off (every request runs as the table owner)
 * @param autoReloadSchema whether the schema cache follows the database (Supabase's DDL event trigger)
 * @param safeUpdate whether {@code pg-safeupdate} is loaded (UPDATE/DELETE without WHERE fail with 21000)
 * @param allowTxOverride whether {@code Prefer: tx=} is honoured ({@code db-tx-end = commit-allow-override})
 * @param maxRows {@code db-max-rows}, or null for no limit
 * @param aggregates {@code db-aggregates-enabled}
 * @param roles the roles that exist besides those the tables name
 * @param bypassRls the roles with {@code BYPASSRLS}
 * @param clock the clock JWT expiry is checked against
 */
record MockPostgrestOptions(List<String> schemas, String anonRole, String jwtSecret, boolean autoReloadSchema,
    boolean safeUpdate, boolean allowTxOverride, Long maxRows, boolean aggregates, Set<String> roles,
    Set<String> bypassRls, Clock clock) {
  static MockPostgrestOptions defaults() {
    return new MockPostgrestOptions(List.of("public"), "anon", null, true, false, false, null, false,
        Set.of("anon", "authenticated", "service_role"), Set.of("service_role"), Clock.systemUTC());
  }

  boolean rolesEnabled() {
    return jwtSecret != null;
  }
}
