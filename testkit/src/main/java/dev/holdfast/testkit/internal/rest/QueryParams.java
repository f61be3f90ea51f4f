package dev.holdfast.testkit.internal.rest;

import dev.holdfast.testkit.internal.rest.Parsec.Parser;
import dev.holdfast.testkit.internal.rest.Parsec.Reply;
import dev.holdfast.testkit.internal.rest.Url.Field;
import dev.holdfast.testkit.internal.rest.Url.Filter;
import dev.holdfast.testkit.internal.rest.Url.LogicTree;
import dev.holdfast.testkit.internal.rest.Url.OpExpr;
import dev.holdfast.testkit.internal.rest.Url.OrderTerm;
import dev.holdfast.testkit.internal.rest.Url.SelectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A query string read as PostgREST 13's {@code QueryParams.parse} reads it: {@code select}, {@code columns} and
 * {@code on_conflict} are reserved by exact name; a parameter whose last dot-separated word is {@code order},
 * {@code limit}, {@code offset}, {@code and} or {@code or} is an order, range or logic tree (of the embedded
 * resource its prefix names); every other parameter with a value is a filter. So {@code select=eq.1} is a
 * malformed select list, never a filter, and a column named {@code select} is filtered as {@code
 * "select"=eq.1} (a quoted name) or inside {@code and=(select.eq.1)}. Parameters are split on {@code &} and
 * {@code ;}, {@code +} is a space. Immutable.
 */
public final class QueryParams {
  /** A parse failure: PostgREST's {@code QPError} message and details. */
  public record Failure(String message, String details) {}

  /** Something with the embed path it applies to ({@code []} for the top level). */
  public record AtPath<T>(List<String> path, T value) {}

  private static final Set<String> RESERVED = Set.of("select", "columns", "on_conflict");
  private static final Set<String> RESERVED_EMBEDDABLE = Set.of("order", "limit", "offset", "and", "or");

  public final String canonical;
  public final List<String[]> rpcParams;
  public final Map<String, Range> ranges;
  public final List<AtPath<List<OrderTerm>>> order;
  public final List<AtPath<LogicTree>> logic;
  public final Set<String> columns;
  public final List<SelectNode> select;
  public final List<AtPath<Filter>> filters;
  public final Set<String> filterFields;
  public final List<String> onConflict;

  private QueryParams(String canonical, List<String[]> rpcParams, Map<String, Range> ranges,
      List<AtPath<List<OrderTerm>>> order, List<AtPath<LogicTree>> logic, Set<String> columns,
      List<SelectNode> select, List<AtPath<Filter>> filters, Set<String> filterFields, List<String> onConflict) {
    this.canonical = canonical;
    this.rpcParams = rpcParams;
    this.ranges = ranges;
    this.order = order;
    this.logic = logic;
    this.columns = columns;
    this.select = select;
    this.filters = filters;
    this.filterFields = filterFields;
    this.onConflict = onConflict;
  }

  /** The filters on the top-level resource (those PATCH and DELETE apply). */
  public List<Filter> rootFilters() {
    List<Filter> out = new ArrayList<>();
    filters.forEach(f -> {
      if (f.path().isEmpty()) {
        out.add(f.value());
      }
    });
    return out;
  }

  /** Thrown with PostgREST's {@code PGRST100} message and details. */
  public static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final transient Failure failure;

    Invalid(Failure failure) {
      super(failure.message());
      this.failure = failure;
    }
  }

  /**
   * Parses {@code rawQuery} (still percent-encoded, without the {@code ?}).
   *
   * @param rpcRead whether this is a GET/HEAD RPC call, where parameters without an operator are arguments
   * @throws Invalid with PostgREST's message and details
   */
  public static QueryParams parse(boolean rpcRead, String rawQuery) {
    List<String[]> raw = QueryStrings.split(rawQuery);
    List<String[]> nonEmpty = new ArrayList<>();
    for (String[] kv : raw) {
      if (kv[1] != null) {
        nonEmpty.add(kv);
      }
    }
    List<AtPath<List<OrderTerm>>> order = new ArrayList<>();
    List<AtPath<LogicTree>> logic = new ArrayList<>();
    List<String[]> filterParams = new ArrayList<>();
    List<String[]> limits = new ArrayList<>();
    List<String[]> offsets = new ArrayList<>();
    for (String[] kv : nonEmpty) {
      String last = lastWord(kv[0]);
      if (!RESERVED_EMBEDDABLE.contains(last) && !RESERVED.contains(kv[0])) {
        filterParams.add(kv);
      }
      if (last.equals("limit")) {
        limits.add(kv);
      }
      if (last.equals("offset")) {
        offsets.add(new String[] {replaceLast(kv[0]), kv[1]});
      }
    }
    for (String[] kv : nonEmpty) {
      if (lastWord(kv[0]).equals("order")) {
        List<String> path = treePath(kv[0]);
        order.add(new AtPath<>(path, run(QueryGrammar.ORDER, "failed to parse order (" + kv[1] + ")", kv[1])));
      }
    }
    for (String[] kv : nonEmpty) {
      String last = lastWord(kv[0]);
      if (last.equals("and") || last.equals("or")) {
        List<Object> lp = run(QueryGrammar.LOGIC_PATH, "failed to parse logic path (" + kv[0] + ")", kv[0]);
        @SuppressWarnings("unchecked")
        List<String> path = (List<String>) lp.get(0);
        String op = (String) lp.get(1);
        LogicTree tree = run(QueryGrammar.LOGIC_TREE, "failed to parse logic tree (" + kv[1] + ")", op + kv[1]);
        logic.add(new AtPath<>(path, tree));
      }
    }
    String columnsParam = lookup(raw, "columns");
    Set<String> columns = columnsParam == null ? null : new LinkedHashSet<>(run(QueryGrammar.COLUMNS,
        "failed to parse columns parameter (" + columnsParam + ")", columnsParam));
    String selectParam = lookup(raw, "select");
    String selectText = selectParam == null ? "*" : selectParam;
    List<SelectNode> select = run(QueryGrammar.FIELD_FOREST, "failed to parse select parameter (" + selectText + ")",
        selectText);
    List<AtPath<Filter>> filters = new ArrayList<>();
    List<String[]> rpcParams = new ArrayList<>();
    Set<String> filterFields = new LinkedHashSet<>();
    for (String[] kv : filterParams) {
      filterFields.add(kv[0]);
      List<Object> tp = run(QueryGrammar.TREE_PATH, "failed to parse tree path (" + kv[0] + ")", kv[0]);
      @SuppressWarnings("unchecked")
      List<String> path = (List<String>) tp.get(0);
      Field field = (Field) tp.get(1);
      Parser<OpExpr> p = rpcRead ? QueryGrammar.FILTER_EXPR.or(Parsec.pure(new OpExpr(false, null, kv[1])))
          : QueryGrammar.FILTER_EXPR;
      OpExpr expr = run(p, "failed to parse filter (" + kv[1] + ")", kv[1]);
      if (expr.operation() == null) {
        rpcParams.add(new String[] {field.name(), expr.rawValue()});
      } else {
        filters.add(new AtPath<>(path, new Filter(field, expr)));
      }
    }
    String onConflictParam = lookup(raw, "on_conflict");
    List<String> onConflict = onConflictParam == null ? null : run(QueryGrammar.COLUMNS,
        "failed to parse on_conflict parameter (" + onConflictParam + ")", onConflictParam);
    return new QueryParams(QueryStrings.canonical(raw), rpcParams, ranges(limits, offsets), order, logic, columns,
        select, filters, filterFields, onConflict);
  }

  /** The embed path of an {@code x.y.order}-style key, parsed as PostgREST's {@code pTreePath} does. */
  @SuppressWarnings("unchecked")
  public static List<String> treePath(String key) {
    List<Object> tp = run(QueryGrammar.TREE_PATH, "failed to parse tree path (" + key + ")", key);
    return (List<String>) tp.get(0);
  }

  private static Map<String, Range> ranges(List<String[]> limits, List<String[]> offsets) {
    Map<String, Range> limitRanges = new HashMap<>();
    for (String[] kv : limits) {
      limitRanges.put(kv[0], Range.ALL.restrict(HaskellRead.integer(kv[1])));
    }
    Map<String, Range> offsetRanges = new HashMap<>();
    for (String[] kv : offsets) {
      Long n = HaskellRead.integer(kv[1]);
      offsetRanges.put(kv[0], n == null ? Range.ALL : Range.geq(n));
    }
    Map<String, Range> out = new HashMap<>(limitRanges);
    offsetRanges.forEach((k, ro) -> out.merge(k, ro, (rl, o) -> {
      long l = rl.limit() == null ? 0 : rl.limit();
      long off = o.offset();
      return new Range(off, off + l - 1);
    }));
    return out;
  }

  private static String lookup(List<String[]> raw, String name) {
    for (String[] kv : raw) {
      if (kv[0].equals(name)) {
        return kv[1];
      }
    }
    return null;
  }

  private static String lastWord(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }

  private static String replaceLast(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? "limit" : key.substring(0, dot) + ".limit";
  }

  static <T> T run(Parser<T> p, String name, String text) {
    Reply<T> r = Parsec.parse(p, text);
    if (r.ok()) {
      return r.value();
    }
    throw new Invalid(new Failure("\"" + name + "\" " + r.error().position(), r.error().describe()));
  }
}
