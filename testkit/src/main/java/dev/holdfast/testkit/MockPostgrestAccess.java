package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.internal.rest.PgError;
import java.util.Set;

/**
 * Who may do what, as PostgreSQL decides once PostgREST has switched to the JWT's role: table privileges
 * ({@code 42501 permission denied for table t}; PostgREST answers 401 for the anonymous role, 403 otherwise) and
 * row-level security policies (rows hidden, writes refused with {@code 42501 new row violates row-level security
 * policy for table "t"}). With roles off every request runs as the table owner, which bypasses both. Immutable.
 */
final class MockPostgrestAccess {
  private static final Set<String> SUPABASE_DEFAULT = Set.of("anon", "authenticated", "service_role");

  final RowPolicy.Session session;
  private final boolean owner;
  private final boolean bypassRls;

  private MockPostgrestAccess(RowPolicy.Session session, boolean owner, boolean bypassRls) {
    this.session = session;
    this.owner = owner;
    this.bypassRls = bypassRls;
  }

  static MockPostgrestAccess owner() {
    return new MockPostgrestAccess(new RowPolicy.Session("postgres",
        dev.holdfast.testkit.internal.rest.PgJsonb.MAPPER.createObjectNode()), true, true);
  }

  /**
   * The access of {@code session}'s role.
   *
   * @throws PgError {@code 22023 role "x" does not exist} for a role no table or option names
   */
  static MockPostgrestAccess of(RowPolicy.Session session, MockPostgrestOptions options, MockPostgrestSchema cache,
      String schema) {
    String role = session.role();
    boolean known = options.roles().contains(role) || role.equals(options.anonRole());
    if (!known) {
      for (String t : cache.tableNames(schema)) {
        TableSpec spec = cache.table(schema, t);
        if (spec.grants().containsKey(role) || spec.policies().stream().anyMatch(p -> p.roles().contains(role))) {
          known = true;
          break;
        }
      }
    }
    if (!known) {
      throw new PgError("22023", "role \"" + role + "\" does not exist", null, null);
    }
    return new MockPostgrestAccess(session, false, options.bypassRls().contains(role));
  }

  boolean authenticated(String anonRole) {
    return !session.role().equals(anonRole);
  }

  /** {@code 42501} unless the role holds {@code privilege} on the table. */
  void require(TableSpec spec, String privilege) {
    if (owner) {
      return;
    }
    boolean granted = spec.grants().isEmpty() ? SUPABASE_DEFAULT.contains(session.role())
        : spec.grants().getOrDefault(session.role(), Set.of()).contains(privilege);
    if (!granted) {
      throw new PgError("42501", "permission denied for table " + spec.name(), null, null);
    }
  }

  private boolean rlsApplies(TableSpec spec) {
    return spec.rowLevelSecurity() && !bypassRls;
  }

  /** Whether an existing row passes the {@code USING} policies of {@code command}. */
  boolean visible(TableSpec spec, RowPolicy.Command command, ObjectNode row) {
    if (!rlsApplies(spec)) {
      return true;
    }
    boolean permitted = false;
    for (RowPolicy p : spec.policies()) {
      if (!p.appliesTo(command, session.role()) || p.using() == null) {
        continue;
      }
      boolean ok = p.using().test(row, session);
      if (p.isRestrictive()) {
        if (!ok) {
          return false;
        }
      } else {
        permitted |= ok;
      }
    }
    return permitted;
  }

  /** {@code 42501} unless a new row passes the {@code WITH CHECK} policies of {@code command}. */
  void check(TableSpec spec, RowPolicy.Command command, ObjectNode row, boolean usingExpression) {
    if (!rlsApplies(spec)) {
      return;
    }
    boolean permitted = false;
    boolean restrictedOut = false;
    for (RowPolicy p : spec.policies()) {
      RowPolicy.Condition c = command == RowPolicy.Command.SELECT ? p.using() : p.check();
      if (!p.appliesTo(command, session.role()) || c == null) {
        continue;
      }
      boolean ok = c.test(row, session);
      if (p.isRestrictive()) {
        restrictedOut |= !ok;
      } else {
        permitted |= ok;
      }
    }
    if (!permitted || restrictedOut) {
      throw new PgError("42501", "new row violates row-level security policy " + (usingExpression
          ? "(USING expression) " : "") + "for table \"" + spec.name() + "\"", null, null);
    }
  }
}
