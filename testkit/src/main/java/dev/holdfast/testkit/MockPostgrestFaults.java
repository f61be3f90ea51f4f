package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * The faults scripted on a {@link MockPostgrest}: each rule answers some of the requests that match it with a
 * {@link MockPostgrestFault}, deterministically, and the others reach the database as usual. Rules are tried in
 * the order they were added; the first that fires answers the request, and the rules after it do not see it.
 * Thread-safe.
 *
 * <pre>{@code
 * postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));  // then recovers
 * postgrest.faults().on("POST", "/tasks").next(1, MockPostgrestFault.resetDuringBody());
 * postgrest.faults().on("GET", null).every(3, MockPostgrestFault.cloudflare(520));           // 3rd, 6th, ...
 * postgrest.faults().randomly(0.25, 42L, MockPostgrestFault.gatewayTimeout());               // seeded
 * }</pre>
 */
public final class MockPostgrestFaults {
  private final List<Rule> rules;
  private final String method;
  private final String path;

  MockPostgrestFaults() {
    this(new ArrayList<>(), null, null);
  }

  private MockPostgrestFaults(List<Rule> rules, String method, String path) {
    this.rules = rules;
    this.method = method;
    this.path = path;
  }

  /**
   * The same script, with rules added through the result applying only to requests with this method and path.
   *
   * @param method an HTTP method such as {@code GET}, or null for any
   * @param path the path under the base URL such as {@code /tasks} or {@code /rpc/add}, or null for any
   */
  public MockPostgrestFaults on(String method, String path) {
    String m = method == null ? null : method.toUpperCase(Locale.ROOT);
    String p = path == null ? null : (path.startsWith("/") ? path : "/" + path);
    return new MockPostgrestFaults(rules, m, p);
  }

  /** Answers the next {@code n} matching requests with {@code fault}, then lets requests through again. */
  public MockPostgrestFaults next(int n, MockPostgrestFault fault) {
    if (n < 0) {
      throw new IllegalArgumentException("n < 0: " + n);
    }
    return add(new Rule(method, path, fault, n, 0, null, 0));
  }

  /** Answers every {@code k}-th matching request (the k-th, 2k-th, ...) with {@code fault}, until cleared. */
  public MockPostgrestFaults every(int k, MockPostgrestFault fault) {
    if (k < 1) {
      throw new IllegalArgumentException("k < 1: " + k);
    }
    return add(new Rule(method, path, fault, -1, k, null, 0));
  }

  /**
   * Answers each matching request with {@code fault} with probability {@code fraction}, drawn from a
   * {@link Random} seeded with {@code seed}: the same seed and the same sequence of requests fail the same way on
   * every run. Until cleared.
   */
  public MockPostgrestFaults randomly(double fraction, long seed, MockPostgrestFault fault) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be within [0, 1]: " + fraction);
    }
    return add(new Rule(method, path, fault, -1, 0, new Random(seed), fraction));
  }

  /** Removes every rule, so all requests reach the database. */
  public void clear() {
    synchronized (rules) {
      rules.clear();
    }
  }

  /** How many requests {@link #next} rules will still fail (rules that fire without end are not counted). */
  public int pending() {
    synchronized (rules) {
      return rules.stream().mapToInt(r -> Math.max(r.remaining, 0)).sum();
    }
  }

  private MockPostgrestFaults add(Rule rule) {
    Objects.requireNonNull(rule.fault, "fault");
    synchronized (rules) {
      rules.add(rule);
    }
    return this;
  }

  /** The fault for a request, or null to serve it; counts it against the rules it matches. */
  MockPostgrestFault pick(String requestMethod, String requestPath) {
    synchronized (rules) {
      for (Rule r : rules) {
        if (r.matches(requestMethod, requestPath) && r.fires()) {
          return r.fault;
        }
      }
      rules.removeIf(r -> r.remaining == 0);
      return null;
    }
  }

  /** One rule; its counters are guarded by the rule list's lock. */
  private static final class Rule {
    final String method;
    final String path;
    final MockPostgrestFault fault;
    int remaining;
    final int every;
    final Random random;
    final double fraction;
    long seen;

    Rule(String method, String path, MockPostgrestFault fault, int remaining, int every, Random random,
        double fraction) {
      this.method = method;
      this.path = path;
      this.fault = fault;
      this.remaining = remaining;
      this.every = every;
      this.random = random;
      this.fraction = fraction;
    }

    boolean matches(String requestMethod, String requestPath) {
      return (method == null || method.equals(requestMethod)) && (path == null || path.equals(requestPath));
    }

    boolean fires() {
      seen++;
      if (remaining > 0) {
        remaining--;
        return true;
      }
      if (every > 0) {
        return seen % every == 0;
      }
      if (random != null) {
        return random.nextDouble() < fraction;
      }
      return false;
    }
  }
}
