package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.HoldfastException;
import dev.holdfast.testkit.MockPostgrestEval.Relation;
import dev.holdfast.testkit.MockPostgrestPlan.Node;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJson;
import dev.holdfast.testkit.internal.rest.PgTime;
import dev.holdfast.testkit.internal.rest.Url;
import java.util.List;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * One request through PostgREST 13's pipeline: authentication, request parsing, planning (with PostgREST's
 * checks in PostgREST's order), the statement in one transaction (rolled back on any failure, a singular
 * {@code Accept} that does not get exactly one row, {@code max-affected} or {@code tx=rollback}), and the
 * response. Every failure leaves as PostgREST's or PostgreSQL's error. Thread-safe: requests serialise on the
 * database.
 */
final class MockPostgrestHandler {
  private static final int MAX_CONTENT_LOCATION = 50 * 1024;

  private final InMemoryDatabase db;
  private final MockPostgrestOptions options;
  private final MockPostgrestAuth auth;
  private final Supplier<MockPostgrestSchema> cache;

  MockPostgrestHandler(InMemoryDatabase db, MockPostgrestOptions options, Supplier<MockPostgrestSchema> cache) {
    this.db = db;
    this.options = options;
    this.auth = options.rolesEnabled() ? new MockPostgrestAuth(options.jwtSecret(), options.anonRole(),
        options.clock()) : null;
    this.cache = cache;
  }

  MockPostgrestAuth auth() {
    return auth;
  }

  MockResponse handle(RecordedRequest recorded, List<String> segments) {
    RowPolicy.Session session = auth == null ? null : auth.session(recorded.getHeaders().get("Authorization"));
    boolean authenticated = session != null && !session.role().equals(options.anonRole());
    try {
      MockPostgrestSchema schema = cache.get();
      MockPostgrestRequest req = MockPostgrestRequest.parse(recorded, segments, options);
      if (req.method.equals("OPTIONS")) {
        return options(req, schema);
      }
      return switch (req.resource) {
        case ROOT -> root(req);
        case RELATION -> req.isRead() ? read(req, schema, session) : write(req, schema, session);
        case ROUTINE -> rpc(req, schema, session);
      };
    } catch (PgError e) {
      throw MockPostgrestError.of(e, authenticated);
    } catch (HoldfastException e) {
      PgError pg = PgError.in(e);
      if (pg != null) {
        throw MockPostgrestError.of(pg, authenticated);
      }
      throw MockPostgrestError.of(new PgError(e.code().orElse("XX000"), e.reason(), null, null), authenticated);
    } catch (PgTime.Unsupported e) {
      throw MockPostgrestError.unsupported(e.getMessage());
    }
  }

  private MockPostgrestAccess access(RowPolicy.Session session, MockPostgrestSchema schema, String schemaName) {
    return session == null ? MockPostgrestAccess.owner() : MockPostgrestAccess.of(session, options, schema,
        schemaName);
  }

  private TableSpec table(MockPostgrestSchema schema, MockPostgrestRequest req) {
    TableSpec spec = schema.table(req.schema, req.target);
    if (spec == null) {
      throw new MockPostgrestError(404, "PGRST205", "Could not find the table '" + req.schema + "." + req.target
          + "' in the schema cache", null, schema.tableNotFoundHint(req.schema, req.target));
    }
    return spec;
  }

  private static void strict(MockPostgrestRequest req) {
    if (req.prefs.strict() && !req.prefs.invalid.isEmpty()) {
      throw new MockPostgrestError(400, "PGRST122", "Invalid preferences given with handling=strict",
          "Invalid preferences: " + String.join(", ", req.prefs.invalid), null);
    }
  }

  /** {@code negotiateContent} for the built-in handlers (no PostGIS, plans disabled, CSV not emulated). */
  private static MockPostgrestMedia negotiate(MockPostgrestRequest req) {
    for (MockPostgrestMedia m : req.accept) {
      switch (m.kind()) {
        case SINGULAR, ARRAY, JSON -> {
          return m;
        }
        case ANY -> {
          return new MockPostgrestMedia(MockPostgrestMedia.Kind.JSON, false, null);
        }
        case CSV -> throw MockPostgrestError.unsupported("CSV responses (Accept: text/csv)");
        default -> { }
      }
    }
    throw new MockPostgrestError(406, "PGRST107", "None of these media types are available: " + String.join(", ",
        req.accept.stream().map(MockPostgrestMedia::mime).toList()), null, null);
  }

  private MockResponse read(MockPostgrestRequest req, MockPostgrestSchema schema, RowPolicy.Session session) {
    TableSpec spec = table(schema, req);
    Node plan = MockPostgrestPlan.build(req, schema, req.target, spec, false, options);
    MockPostgrestMedia media = negotiate(req);
    strict(req);
    return db.transaction(tx -> {
      MockPostgrestAccess access = access(session, schema, req.schema);
      MockPostgrestReader reader = new MockPostgrestReader(tx, req.schema, access, req.prefs.zone());
      MemoryTable t = reader.table(req.target);
      Relation rel = Relation.of(req.target, t.spec());
      reader.prepare(plan, rel);
      MockPostgrestReader.Result r = reader.run(plan, rel, reader.visibleRows(req.target), plan.range);
      Long total = req.prefs.counts() ? r.total() : null;
      singular(media, r.rows().size());
      Object[] status = MockPostgrestResponses.rangeStatus(req.topLevelRange, r.rows().size(), total);
      MockResponse.Builder b = MockPostgrestResponses.builder((Integer) status[0]);
      b.setHeader("Content-Range", (String) status[1]);
      String location = "/" + req.target + (req.query.canonical.isEmpty() ? "" : "?" + req.query.canonical);
      // PostgREST (Warp) refuses request headers over 50 KiB with 431 before this could happen; MockPostgrest
      // serves such requests and leaves out a Content-Location no HTTP client would read.
      if (location.length() <= MAX_CONTENT_LOCATION) {
        b.setHeader("Content-Location", location);
      }
      MockPostgrestResponses.contentType(b, media, req);
      MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(false, false, false, false));
      String body = (Integer) status[0] == 416 ? MockPostgrestResponses.outOfBounds(req.topLevelRange.offset(), total)
          : MockPostgrestResponses.body(r.rows(), media);
      return req.isHead() ? b.build() : b.body(body).build();
    });
  }

  private static void singular(MockPostgrestMedia media, long rows) {
    if (media.singular() && rows != 1) {
      throw new MockPostgrestError(406, "PGRST116", "Cannot coerce the result to a single JSON object",
          "The result contains " + rows + " rows", null);
    }
  }

  private MockResponse write(MockPostgrestRequest req, MockPostgrestSchema schema, RowPolicy.Session session) {
    TableSpec spec = table(schema, req);
    Node plan = MockPostgrestPlan.build(req, schema, req.target, spec, true, options);
    if (!req.method.equals("DELETE")) {
      MockPostgrestWriter.checkColumns(spec, req.columns);
    }
    List<Url.Filter> root = req.query.rootFilters();
    if (req.method.equals("PUT")) {
      boolean pkOnly = req.query.logic.isEmpty() && req.query.filterFields.equals(java.util.Set.of(spec.idColumn()))
          && root.stream().allMatch(f -> !f.expr().negated() && f.expr().operation() instanceof Url.QuantOp q
          && q.op().equals("eq") && q.quantifier() == null);
      if (!pkOnly) {
        throw new MockPostgrestError(405, "PGRST105",
            "Filters must include all and only primary key columns with 'eq' operators", null, null);
      }
    }
    strict(req);
    MockPostgrestMedia media = negotiate(req);
    boolean full = "return=representation".equals(req.prefs.representation);
    return db.transaction(tx -> {
      MockPostgrestAccess access = access(session, schema, req.schema);
      MockPostgrestReader reader = new MockPostgrestReader(tx, req.schema, access, req.prefs.zone());
      MemoryTable t = reader.table(req.target);
      Relation rel = Relation.of(req.target, t.spec());
      if (full) {
        reader.prepare(plan, rel);
      }
      MockPostgrestWriter writer = new MockPostgrestWriter(tx, req, access, options, spec, t);
      MockPostgrestWriter.Outcome out = switch (req.method) {
        case "POST" -> writer.insert();
        case "PUT" -> writer.put(root);
        case "PATCH" -> writer.update();
        default -> writer.delete();
      };
      List<ObjectNode> rows = full ? reader.run(plan, rel, out.rows(), dev.holdfast.testkit.internal.rest.Range.ALL)
          .rows() : out.rows();
      long affected = rows.size();
      if (req.method.equals("PUT")) {
        if (affected != 1) {
          throw new MockPostgrestError(400, "PGRST115", "Payload values do not match URL in primary key column(s)",
              null, null);
        }
      } else {
        singular(media, affected);
        if ((req.method.equals("PATCH") || req.method.equals("DELETE")) && req.prefs.strict()
            && req.prefs.maxAffected != null && affected > req.prefs.maxAffected) {
          throw new MockPostgrestError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
              "The query affects " + affected + " rows", null);
        }
      }
      MockResponse response = mutationResponse(req, media, spec, rows, out, full);
      if ("tx=rollback".equals(req.prefs.transaction)) {
        tx.rollback();
      }
      return response;
    });
  }

  private MockResponse mutationResponse(MockPostgrestRequest req, MockPostgrestMedia media, TableSpec spec,
      List<ObjectNode> rows, MockPostgrestWriter.Outcome out, boolean full) {
    long n = rows.size();
    Long total = req.prefs.counts() ? n : null;
    String body = full ? MockPostgrestResponses.body(rows, media) : "";
    MockResponse.Builder b;
    switch (req.method) {
      case "POST" -> {
        boolean merge = "resolution=merge-duplicates".equals(req.prefs.resolution);
        b = MockPostgrestResponses.builder(merge && out.inserted() <= 0 ? 200 : 201);
        if ("return=headers-only".equals(req.prefs.representation) && out.rows().size() == 1) {
          b.setHeader("Location", "/" + req.target + location(spec, out.rows().get(0)));
        }
        b.setHeader("Content-Range", MockPostgrestResponses.contentRange(1, 0, total));
        MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(true, true, true, false));
      }
      case "PATCH" -> {
        b = MockPostgrestResponses.builder(full ? 200 : 204);
        b.setHeader("Content-Range", MockPostgrestResponses.contentRange(0, n - 1, total));
        MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(false, true, true, true));
      }
      case "PUT" -> {
        b = MockPostgrestResponses.builder(full ? (out.inserted() > 0 ? 201 : 200) : 204);
        MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(false, false, true, false));
      }
      default -> {
        b = MockPostgrestResponses.builder(full ? 200 : 204);
        b.setHeader("Content-Range", MockPostgrestResponses.contentRange(1, 0, total));
        MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(false, false, true, true));
      }
    }
    if (full) {
      MockPostgrestResponses.contentType(b, media, req);
      return b.body(body).build();
    }
    return req.method.equals("POST") ? b.body("").build() : b.build();
  }

  /** {@code ?id=eq.5}: the Location PostgREST builds from the primary key of the single inserted row. */
  private static String location(TableSpec spec, ObjectNode row) {
    JsonNode v = row.get(spec.idColumn());
    String value = v == null || v.isNull() ? "is.null" : "eq." + (v.isTextual() ? v.textValue()
        : PgJson.write(v));
    return "?" + dev.holdfast.testkit.internal.rest.QueryStrings.queryEncode(spec.idColumn()) + "="
        + dev.holdfast.testkit.internal.rest.QueryStrings.queryEncode(value);
  }

  private MockResponse rpc(MockPostgrestRequest req, MockPostgrestSchema schema, RowPolicy.Session session) {
    MockPostgrestFunction f = MockPostgrestRpc.find(schema, req);
    TableSpec returnSpec = f.returnTable() == null ? null : schema.table(f.schema(), f.returnTable());
    if (f.returnTable() != null && returnSpec == null) {
      throw new MockPostgrestError(404, "PGRST205", "Could not find the table '" + f.schema() + "." + f.returnTable()
          + "' in the schema cache", null, schema.tableNotFoundHint(f.schema(), f.returnTable()));
    }
    Node plan = returnSpec == null ? null : MockPostgrestPlan.build(req, schema, f.returnTable(), returnSpec, false,
        options);
    MockPostgrestMedia media = negotiate(req);
    strict(req);
    if (req.prefs.strict() && req.prefs.maxAffected != null && f.returnsSingle()) {
      throw new MockPostgrestError(400, "PGRST128", "Function must return SETOF or TABLE when max-affected "
          + "preference is used with handling=strict", null, null);
    }
    return db.transaction(tx -> MockPostgrestInvoke.run(tx, req, f, plan, media, access(session, schema, req.schema),
        options));
  }

  private MockResponse options(MockPostgrestRequest req, MockPostgrestSchema schema) {
    String allow;
    if (req.resource == MockPostgrestRequest.Resource.RELATION) {
      table(schema, req);
      allow = "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE";
    } else if (req.resource == MockPostgrestRequest.Resource.ROUTINE) {
      MockPostgrestRpc.find(schema, req);
      allow = "OPTIONS,POST";
    } else {
      allow = "OPTIONS,GET,HEAD";
    }
    return MockPostgrestResponses.builder(200).setHeader("Access-Control-Allow-Origin", "*")
        .setHeader("Allow", allow).body("").build();
  }

  private MockResponse root(MockPostgrestRequest req) {
    MockResponse.Builder b = MockPostgrestResponses.builder(200)
        .setHeader("Content-Type", "application/openapi+json; charset=utf-8");
    if (req.negotiatedByProfile) {
      b.setHeader("Content-Profile", req.schema);
    }
    return req.isHead() ? b.build() : b.body("{\"swagger\":\"2.0\",\"info\":{\"title\":\"MockPostgrest\"}}").build();
  }
}
