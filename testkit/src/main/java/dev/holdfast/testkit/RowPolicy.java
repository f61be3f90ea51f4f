package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A row-level security policy of a {@link TableSpec}, evaluated by {@link MockPostgrest} as PostgreSQL evaluates
 * {@code CREATE POLICY}: for its command and roles, {@code using} decides which existing rows are visible (or may
 * be updated or deleted) and {@code withCheck} which new rows may be written (an update without one checks the new
 * row with {@code using}). Permissive policies of a table are OR-ed, restrictive ones AND-ed on top; a table with
 * row-level security and no policy for the command shows no rows and accepts no writes. Immutable and
 * thread-safe; the conditions must be too.
 *
 * <pre>{@code
 * TableSpec.builder("public", "notes").columns("owner", "body")
 *     .rowLevelSecurity(
 *         RowPolicy.select("read own", (row, session) -> row.path("owner").asText().equals(session.uid()))
 *             .to("authenticated"),
 *         RowPolicy.insert("write own", (row, session) -> row.path("owner").asText().equals(session.uid()))
 *             .to("authenticated"))
 *     .build();
 * }</pre>
 */
public final class RowPolicy {
  /** The commands a policy applies to. */
  public enum Command { ALL, SELECT, INSERT, UPDATE, DELETE }

  /** A policy expression over a row and the requesting session; must be thread-safe. */
  @FunctionalInterface
  public interface Condition {
    boolean test(ObjectNode row, Session session);
  }

  /**
   * Who is asking: the role PostgREST switched to and the JWT's claims (empty for {@code anon} without a token).
   *
   * @param role the database role, such as {@code anon}, {@code authenticated} or {@code service_role}
   * @param claims the token's claims, as {@code current_setting('request.jwt.claims')} holds them
   */
  public record Session(String role, ObjectNode claims) {
    public Session {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(claims, "claims");
    }

    /** A claim as text (Supabase's {@code auth.jwt() ->> name}), or null when absent or JSON null. */
    public String claim(String name) {
      JsonNode v = claims.get(name);
      return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
    }

    /** The {@code sub} claim, Supabase's {@code auth.uid()}; null without one. */
    public String uid() {
      return claim("sub");
    }
  }

  private final String name;
  private final Command command;
  private final Set<String> roles;
  private final Condition using;
  private final Condition withCheck;
  private final boolean restrictive;

  private RowPolicy(String name, Command command, Set<String> roles, Condition using, Condition withCheck,
      boolean restrictive) {
    this.name = Objects.requireNonNull(name, "name");
    this.command = Objects.requireNonNull(command, "command");
    this.roles = Set.copyOf(roles);
    this.using = using;
    this.withCheck = withCheck;
    this.restrictive = restrictive;
  }

  /** {@code FOR SELECT USING (using)}, for every role until {@link #to} narrows it. */
  public static RowPolicy select(String name, Condition using) {
    return new RowPolicy(name, Command.SELECT, Set.of(), Objects.requireNonNull(using, "using"), null, false);
  }

  /** {@code FOR INSERT WITH CHECK (check)}. */
  public static RowPolicy insert(String name, Condition check) {
    return new RowPolicy(name, Command.INSERT, Set.of(), null, Objects.requireNonNull(check, "check"), false);
  }

  /** {@code FOR UPDATE USING (using) WITH CHECK (check)}; a null {@code check} checks new rows with {@code using}. */
  public static RowPolicy update(String name, Condition using, Condition check) {
    return new RowPolicy(name, Command.UPDATE, Set.of(), Objects.requireNonNull(using, "using"), check, false);
  }

  /** {@code FOR DELETE USING (using)}. */
  public static RowPolicy delete(String name, Condition using) {
    return new RowPolicy(name, Command.DELETE, Set.of(), Objects.requireNonNull(using, "using"), null, false);
  }

  /** {@code FOR ALL USING (using) WITH CHECK (check)}; a null {@code check} uses {@code using} for new rows. */
  public static RowPolicy all(String name, Condition using, Condition check) {
    return new RowPolicy(name, Command.ALL, Set.of(), Objects.requireNonNull(using, "using"), check, false);
  }

  /** This policy for {@code roles} only ({@code TO ...}). */
  public RowPolicy to(String... roles) {
    return new RowPolicy(name, command, Set.of(roles), using, withCheck, restrictive);
  }

  /** This policy {@code AS RESTRICTIVE}: it must pass in addition to some permissive one. */
  public RowPolicy restrictive() {
    return new RowPolicy(name, command, roles, using, withCheck, true);
  }

  public String name() {
    return name;
  }

  public Command command() {
    return command;
  }

  /** The roles it applies to; empty for {@code PUBLIC}. */
  public Set<String> roles() {
    return roles;
  }

  public boolean isRestrictive() {
    return restrictive;
  }

  /** Whether it applies to {@code command} for {@code role}. */
  public boolean appliesTo(Command command, String role) {
    return (this.command == Command.ALL || this.command == command) && (roles.isEmpty() || roles.contains(role));
  }

  /** The {@code USING} condition, or null (INSERT policies have none). */
  public Condition using() {
    return using;
  }

  /** The {@code WITH CHECK} condition for new rows: the explicit one, else {@code USING}; null for SELECT/DELETE. */
  public Condition check() {
    return withCheck != null ? withCheck : command == Command.ALL || command == Command.UPDATE ? using : null;
  }

  /** The names PostgreSQL accepts in {@code GRANT}, lower case; {@code all} stands for the four. */
  static List<String> privileges(String... names) {
    return java.util.Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public String toString() {
    return "RowPolicy{" + name + ", " + command + (restrictive ? ", restrictive" : "")
        + (roles.isEmpty() ? "" : ", to " + roles) + "}";
  }
}
