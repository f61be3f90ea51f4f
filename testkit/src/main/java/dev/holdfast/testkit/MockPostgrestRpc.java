package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.HoldfastException;
import dev.holdfast.testkit.internal.rest.FuzzySet;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds and calls a function as PostgREST 13 does ({@code Plan.findProc}): the overload whose named parameters
 * match the argument names (required ones all present, optional ones allowed), else a single unnamed json
 * parameter for a JSON POST, else {@code 404 PGRST202} with PostgREST's message, details and "Perhaps you meant
 * to call the function ..." hint, or {@code 300 PGRST203} when several match. Arguments are read as the
 * parameters' types (a GET's text, a POST's JSON). Stateless.
 */
final class MockPostgrestRpc {
  private MockPostgrestRpc() {}

  static MockPostgrestFunction find(MockPostgrestSchema cache, MockPostgrestRequest req) {
    boolean post = req.method.equals("POST");
    Set<String> keys = new LinkedHashSet<>();
    if (post) {
      keys.addAll(req.columns);
    } else {
      req.rpcArguments().forEach(kv -> keys.add(kv[0]));
    }
    List<MockPostgrestFunction> candidates = cache.functions(req.schema, req.target);
    List<MockPostgrestFunction> named = new ArrayList<>();
    List<MockPostgrestFunction> fallback = new ArrayList<>();
    boolean json = req.contentType.kind() == MockPostgrestMedia.Kind.JSON;
    for (MockPostgrestFunction f : candidates) {
      if (f.acceptsAnyArguments() || matches(f, keys, post, req.contentType)) {
        named.add(f);
      } else if (post && json && f.params().size() == 1 && f.params().get(0).name().isEmpty()
          && (f.params().get(0).type().equals("json") || f.params().get(0).type().equals("jsonb"))) {
        fallback.add(f);
      }
    }
    if (named.size() == 1) {
      return named.get(0);
    }
    if (named.size() > 1 || fallback.size() > 1) {
      throw ambiguous(named.size() > 1 ? named : fallback);
    }
    if (fallback.size() == 1) {
      return fallback.get(0);
    }
    throw notFound(cache, req, new ArrayList<>(new TreeSet<>(keys)), candidates, post);
  }

  private static boolean matches(MockPostgrestFunction f, Set<String> keys, boolean post,
      MockPostgrestMedia contentType) {
    List<MockPostgrestFunction.Param> params = f.params();
    if (params.size() == 1 && params.get(0).name().isEmpty()) {
      return false;
    }
    if (params.isEmpty()) {
      return keys.isEmpty() && !(post && (contentType.kind() == MockPostgrestMedia.Kind.OCTET
          || contentType.kind() == MockPostgrestMedia.Kind.TEXT || contentType.kind() == MockPostgrestMedia.Kind.XML));
    }
    Set<String> required = new HashSet<>();
    Set<String> optional = new HashSet<>();
    params.forEach(p -> (p.required() ? required : optional).add(p.name()));
    Set<String> rest = new HashSet<>(keys);
    rest.removeAll(optional);
    return rest.equals(required);
  }

  private static MockPostgrestError ambiguous(List<MockPostgrestFunction> fs) {
    List<String> sigs = new ArrayList<>();
    for (MockPostgrestFunction f : fs) {
      List<String> ps = new ArrayList<>();
      f.params().forEach(p -> ps.add(p.name() + " => " + PgType.cached(p.type()).name()));
      sigs.add(f.schema() + "." + f.name() + "(" + String.join(", ", ps) + ")");
    }
    return new MockPostgrestError(300, "PGRST203", "Could not choose the best candidate function between: "
        + String.join(", ", sigs), null,
        "Try renaming the parameters or the function itself in the database so function overloading can be resolved");
  }

  /** {@code NoRpc}: message, details and hint as PostgREST words them. */
  private static MockPostgrestError notFound(MockPostgrestSchema cache, MockPostgrestRequest req, List<String> keys,
      List<MockPostgrestFunction> overloads, boolean post) {
    String func = req.schema + "." + req.target;
    MockPostgrestMedia.Kind ct = req.contentType.kind();
    boolean singleOnly = post && (ct == MockPostgrestMedia.Kind.TEXT || ct == MockPostgrestMedia.Kind.XML
        || ct == MockPostgrestMedia.Kind.OCTET);
    String prms = String.join(", ", keys);
    String message = "Could not find the function " + func + (singleOnly ? "" : keys.isEmpty()
        ? " without parameters" : "(" + prms + ")") + " in the schema cache";
    String withParams = keys.isEmpty() ? " without parameters"
        : " with parameter" + (keys.size() > 1 ? "s " : " ") + prms;
    String searched = !post ? withParams : switch (ct) {
      case TEXT -> " with a single unnamed text parameter";
      case XML -> " with a single unnamed xml parameter";
      case OCTET -> " with a single unnamed bytea parameter";
      case JSON -> withParams + " or with a single unnamed json/jsonb parameter";
      default -> withParams;
    };
    String details = "Searched for the function " + func + searched + ", but no matches were found in the schema "
        + "cache.";
    String hint = null;
    if (!singleOnly) {
      String suggestion;
      if (overloads.isEmpty()) {
        suggestion = new FuzzySet(cache.functionNames(req.schema)).getOne(req.target);
      } else {
        List<String> sigs = new ArrayList<>();
        overloads.forEach(f -> sigs.add(sorted(f.params().stream().map(MockPostgrestFunction.Param::name).toList())));
        String best = new FuzzySet(sigs).getOne(sorted(keys));
        suggestion = best == null ? null : req.target + best;
      }
      hint = suggestion == null ? null : "Perhaps you meant to call the function " + req.schema + "." + suggestion;
    }
    return new MockPostgrestError(404, "PGRST202", message, details, hint);
  }

  private static String sorted(List<String> names) {
    return "(" + String.join(", ", new TreeSet<>(names)) + ")";
  }

  /** The arguments for {@code f}'s body, read as its parameters' types. */
  static ObjectNode arguments(MockPostgrestFunction f, MockPostgrestRequest req) {
    ObjectNode args = PgJsonb.MAPPER.createObjectNode();
    Map<String, MockPostgrestFunction.Param> byName = new java.util.HashMap<>();
    f.params().forEach(p -> byName.put(p.name(), p));
    if (!req.method.equals("POST")) {
      for (String[] kv : req.rpcArguments()) {
        MockPostgrestFunction.Param p = byName.get(kv[0]);
        args.set(kv[0], p == null ? args.textNode(kv[1]) : PgType.cached(p.type()).fromText(kv[1],
            req.prefs.zone()));
      }
      return args;
    }
    if (f.params().size() == 1 && f.params().get(0).name().isEmpty()) {
      JsonNode whole = PgJsonb.parse(req.payload.text.isBlank() ? "{}" : req.payload.text);
      return whole.isObject() ? (ObjectNode) whole : args.putPOJO("", whole);
    }
    if (req.payload.rows.isEmpty()) {
      return args;
    }
    ObjectNode given = req.payload.rows.get(0);
    Map<String, String> raw = req.payload.raw.get(0);
    for (String c : req.columns) {
      JsonNode v = given.get(c);
      MockPostgrestFunction.Param p = byName.get(c);
      if (v == null) {
        continue;
      }
      args.set(c, p == null ? v : PgType.cached(p.type()).fromJson(v, raw.get(c)));
    }
    return args;
  }

  /** Runs the body; a raise or a holdfast exception becomes the error PostgreSQL would report. */
  static JsonNode call(MockPostgrestFunction f, ObjectNode args) {
    try {
      return f.body().call(args);
    } catch (MockPostgrestRaise e) {
      throw e.toPgError();
    } catch (HoldfastException e) {
      PgError pg = PgError.in(e);
      if (pg != null) {
        throw pg;
      }
      throw new PgError(e.code().orElse("XX000"), e.reason(), null, e.hint().isEmpty() ? null : e.hint());
    }
  }
}
