package dev.holdfast.testkit.internal.rest;

import static dev.holdfast.testkit.internal.rest.Parsec.anyChar;
import static dev.holdfast.testkit.internal.rest.Parsec.attempt;
import static dev.holdfast.testkit.internal.rest.Parsec.between;
import static dev.holdfast.testkit.internal.rest.Parsec.ch;
import static dev.holdfast.testkit.internal.rest.Parsec.digit;
import static dev.holdfast.testkit.internal.rest.Parsec.eof;
import static dev.holdfast.testkit.internal.rest.Parsec.lazy;
import static dev.holdfast.testkit.internal.rest.Parsec.letter;
import static dev.holdfast.testkit.internal.rest.Parsec.lookAhead;
import static dev.holdfast.testkit.internal.rest.Parsec.many;
import static dev.holdfast.testkit.internal.rest.Parsec.many1;
import static dev.holdfast.testkit.internal.rest.Parsec.noneOf;
import static dev.holdfast.testkit.internal.rest.Parsec.notFollowedByChar;
import static dev.holdfast.testkit.internal.rest.Parsec.oneOf;
import static dev.holdfast.testkit.internal.rest.Parsec.option;
import static dev.holdfast.testkit.internal.rest.Parsec.optionMaybe;
import static dev.holdfast.testkit.internal.rest.Parsec.pure;
import static dev.holdfast.testkit.internal.rest.Parsec.sepBy;
import static dev.holdfast.testkit.internal.rest.Parsec.sepBy1;
import static dev.holdfast.testkit.internal.rest.Parsec.string;
import static dev.holdfast.testkit.internal.rest.Parsec.zero;

import dev.holdfast.testkit.internal.rest.Parsec.Parser;
import dev.holdfast.testkit.internal.rest.Url.Expr;
import dev.holdfast.testkit.internal.rest.Url.Field;
import dev.holdfast.testkit.internal.rest.Url.Filter;
import dev.holdfast.testkit.internal.rest.Url.FtsOp;
import dev.holdfast.testkit.internal.rest.Url.InOp;
import dev.holdfast.testkit.internal.rest.Url.IsDistinct;
import dev.holdfast.testkit.internal.rest.Url.IsOp;
import dev.holdfast.testkit.internal.rest.Url.JsonOp;
import dev.holdfast.testkit.internal.rest.Url.LogicTree;
import dev.holdfast.testkit.internal.rest.Url.OpExpr;
import dev.holdfast.testkit.internal.rest.Url.Operation;
import dev.holdfast.testkit.internal.rest.Url.OrderTerm;
import dev.holdfast.testkit.internal.rest.Url.QuantOp;
import dev.holdfast.testkit.internal.rest.Url.SelectField;
import dev.holdfast.testkit.internal.rest.Url.SelectNode;
import dev.holdfast.testkit.internal.rest.Url.SelectRelation;
import dev.holdfast.testkit.internal.rest.Url.SimpleOp;
import dev.holdfast.testkit.internal.rest.Url.SpreadRelation;
import dev.holdfast.testkit.internal.rest.Url.Stmnt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgREST 13's query-string grammar ({@code PostgREST.ApiRequest.QueryParams}), combinator for combinator, so
 * that what it accepts, what it ignores (text after a closing parenthesis, an unparsable {@code limit}) and the
 * errors it reports match PostgREST's. Stateless and thread-safe.
 */
final class QueryGrammar {
  private QueryGrammar() {}

  static String text(List<Integer> cps) {
    StringBuilder out = new StringBuilder(cps.size());
    cps.forEach(out::appendCodePoint);
    return out.toString();
  }

  static final Parser<Integer> DELIMITER = ch('.').label("delimiter (.)");
  private static final Parser<String> WS = many(oneOf(" \t")).map(QueryGrammar::text);

  static <T> Parser<T> lexeme(Parser<T> p) {
    return WS.then(p).skip(WS);
  }

  static final Parser<String> QUOTED_VALUE = between(ch('"'), ch('"'),
      many(noneOf("\\\"").or(ch('\\').then(anyChar())))).map(QueryGrammar::text);

  private static final Parser<Integer> IDENTIFIER_CHAR = letter().or(digit()).or(oneOf("_ $"));
  static final Parser<String> IDENTIFIER = many1(IDENTIFIER_CHAR).map(cps -> text(cps).strip());

  private static Parser<String> sepByDash(Parser<String> ident) {
    Parser<Integer> dash = attempt(ch('-').then(notFollowedByChar(ch('>')))).as((int) '-');
    return sepBy1(ident, dash).map(parts -> String.join("-", parts));
  }

  static final Parser<String> FIELD_NAME = QUOTED_VALUE.or(sepByDash(IDENTIFIER))
      .label("field name (* or [a..z0..9_$])");

  private static final Parser<String> JSON_KEY_NAME = QUOTED_VALUE
      .or(sepByDash(many1(noneOf("(-:.,>)")).map(cps -> text(cps).strip())))
      .label("any non reserved character different from: .,>()");

  /** {@code try (lookAhead (string m1)) <|> ... <|> try eof}, folded to the left as Haskell's {@code <|>}. */
  private static Parser<Void> lookAheadEnd(String... markers) {
    Parser<Void> end = null;
    for (String m : markers) {
      Parser<Void> one = attempt(lookAhead(string(m)).as((Void) null));
      end = end == null ? one : end.or(one);
    }
    return end.or(attempt(eof()));
  }

  static final Parser<List<JsonOp>> JSON_PATH = many(lazy(QueryGrammar::jsonOperation));

  private static Parser<JsonOp> jsonOperation() {
    Parser<Boolean> arrow = attempt(string("->>")).as(true).or(attempt(string("->")).as(false));
    Parser<String> sign = option((int) '+', ch('-')).map(c -> String.valueOf((char) c.intValue()));
    Parser<String> idx = sign.bind(s -> many1(digit()).map(ds -> s + text(ds))).skip(lookAheadEnd("->", "::", ".",
        ","));
    return arrow.bind(isText -> attempt(idx.map(v -> new JsonOp(isText, true, v)))
        .or(attempt(JSON_KEY_NAME.map(v -> new JsonOp(isText, false, v)))));
  }

  static final Parser<Field> FIELD = lexeme(FIELD_NAME.bind(n -> option(List.<JsonOp>of(), JSON_PATH)
      .map(p -> new Field(n, p))));

  /** {@code pTreePath}: {@code a.b.c->d} as an embed path and a field. */
  static final Parser<List<Object>> TREE_PATH = sepBy1(FIELD_NAME, DELIMITER).bind(parts ->
      option(List.<JsonOp>of(), JSON_PATH).map(jp -> List.of(parts.subList(0, parts.size() - 1),
          new Field(parts.get(parts.size() - 1), jp))));

  private static final Parser<Void> ALIAS_SEPARATOR = ch(':').then(notFollowedByChar(ch(':')));

  private static final Parser<Optional<String>> ALIAS = optionMaybe(attempt(FIELD_NAME.skip(ALIAS_SEPARATOR)));

  /** The hint and join type of an embedding, as {@code [hint, joinType]}. */
  private static final Parser<String[]> EMBED_PARAMS = lazy(() -> {
    Parser<String[]> param = ch('!').then(attempt(string("left")).map(x -> new String[] {null, "left"})
        .or(attempt(string("inner")).map(x -> new String[] {null, "inner"}))
        .or(attempt(FIELD_NAME.map(h -> new String[] {h, null}))));
    return optionMaybe(param).bind(p1 -> optionMaybe(param).map(p2 -> {
      String hint = p1.map(a -> a[0]).orElse(null);
      hint = hint != null ? hint : p2.map(a -> a[0]).orElse(null);
      String join = p1.map(a -> a[1]).orElse(null);
      join = join != null ? join : p2.map(a -> a[1]).orElse(null);
      return new String[] {hint, join};
    }));
  });

  private static final Parser<Void> LOOK_PAREN = attempt(lookAhead(string("(")).as((Void) null));

  static final Parser<Url.SelectItem> RELATION_SELECT = lexeme(ALIAS.bind(alias -> FIELD_NAME.bind(name ->
      (name.equals("count") ? Parsec.<Url.SelectItem>zero() : EMBED_PARAMS.bind(ep -> LOOK_PAREN.as(
          (Url.SelectItem) new SelectRelation(name, alias.orElse(null), ep[0], ep[1])))))));

  static final Parser<Url.SelectItem> SPREAD_SELECT = lexeme(string("...").then(FIELD_NAME).bind(name ->
      EMBED_PARAMS.bind(ep -> LOOK_PAREN.as((Url.SelectItem) new SpreadRelation(name, ep[0], ep[1])))));

  private static final Parser<Void> SELECT_END = lookAheadEnd(")", ",");

  private static final Parser<String> AGGREGATION = string("sum").or(string("avg")).or(string("count"))
      .or(attempt(string("max"))).or(attempt(string("min"))).or(zero());

  private static final Parser<Optional<String>> CAST = optionMaybe(string("::").then(IDENTIFIER));

  static final Parser<Url.SelectItem> FIELD_SELECT = lexeme(attempt(star()).or(attempt(countAll())).or(column()));

  private static Parser<Url.SelectItem> star() {
    return string("*").skip(SELECT_END).map(s -> new SelectField(Field.of("*"), null, null, null, null));
  }

  private static Parser<Url.SelectItem> countAll() {
    return ALIAS.bind(alias -> string("count()").then(CAST).bind(aggCast -> SELECT_END.as(
        new SelectField(Field.of("*"), "count", aggCast.orElse(null), null, alias.orElse(null)))));
  }

  private static Parser<Url.SelectItem> column() {
    Parser<Optional<String>> agg = optionMaybe(attempt(ch('.').then(AGGREGATION).skip(string("()"))));
    return ALIAS.bind(alias -> FIELD.bind(fld -> CAST.bind(cast -> agg.bind(a -> CAST.bind(aggCast ->
        SELECT_END.as(new SelectField(fld, a.orElse(null), aggCast.orElse(null), cast.orElse(null),
            alias.orElse(null))))))));
  }

  static final Parser<List<SelectNode>> FIELD_FOREST = lazy(QueryGrammar::fieldForest);

  private static Parser<List<SelectNode>> fieldForest() {
    Parser<List<SelectNode>> nested = between(ch('('), ch(')'), FIELD_FOREST);
    Parser<SelectNode> tree = attempt(SPREAD_SELECT).bind(i -> nested.map(c -> new SelectNode(i, c)))
        .or(attempt(RELATION_SELECT).bind(i -> nested.map(c -> new SelectNode(i, c))))
        .or(FIELD_SELECT.map(i -> new SelectNode(i, List.of())));
    return sepBy(tree, lexeme(ch(',')));
  }

  private static Parser<String> ciString(String s) {
    Parser<String> out = pure("");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      Parser<Integer> one = ch(c).or(ch(Character.toUpperCase(c)));
      out = out.bind(prefix -> one.map(x -> prefix + (char) x.intValue()));
    }
    return out;
  }

  private static Parser<String> alternatives(String label, String... ops) {
    Parser<String> p = attempt(string(ops[0]));
    for (int i = 1; i < ops.length; i++) {
      p = p.or(attempt(string(ops[i])));
    }
    return p.label(label);
  }

  private static final Parser<String> SIMPLE_OPERATOR = alternatives("unknown single value operator", "neq", "cs",
      "cd", "ov", "sl", "sr", "nxr", "nxl", "adj");
  private static final Parser<String> QUANT_OPERATOR = alternatives("unknown single value operator", "eq", "gte",
      "gt", "lte", "lt", "like", "ilike", "match", "imatch");

  static final Parser<String> SINGLE_VAL = many(anyChar()).map(QueryGrammar::text);

  private static final Parser<String> LIST_ELEMENT = attempt(QUOTED_VALUE.skip(notFollowedByChar(noneOf(",)"))))
      .or(many(noneOf(",)")).map(QueryGrammar::text));

  static final Parser<List<String>> LIST_VAL = lexeme(ch('(')).then(sepBy1(LIST_ELEMENT, ch(','))).skip(lexeme(ch(')')));

  static final Parser<String> LOGIC_SINGLE_VAL = attempt(QUOTED_VALUE.skip(notFollowedByChar(noneOf(",)"))))
      .or(attempt(string("{").bind(a -> many(noneOf("{}")).bind(b -> string("}").map(c -> a + text(b) + c)))))
      .or(many(noneOf(",)")).map(QueryGrammar::text));

  static Parser<OpExpr> opExpr(Parser<String> singleVal) {
    Parser<Boolean> not = attempt(string("not").then(DELIMITER).as(true)).or(pure(false));
    Parser<Operation> in = attempt(string("in").then(DELIMITER)).then(LIST_VAL).map(InOp::new);
    Parser<String> isVal = attempt(ciString("null").as("null")).or(attempt(ciString("not_null").as("not_null")))
        .or(attempt(ciString("true").as("true"))).or(attempt(ciString("false").as("false")))
        .or(attempt(ciString("unknown").as("unknown"))).label("isVal: (null, not_null, true, false, unknown)");
    Parser<Operation> is = attempt(string("is").then(DELIMITER)).then(isVal).map(IsOp::new);
    Parser<Operation> isDistinct = attempt(string("isdistinct").then(DELIMITER)).then(singleVal)
        .map(IsDistinct::new);
    Parser<String> ftsName = attempt(string("fts")).or(attempt(string("plfts"))).or(attempt(string("phfts")))
        .or(attempt(string("wfts")));
    Parser<Operation> fts = ftsName.bind(op -> optionMaybe(attempt(between(ch('('), ch(')'), IDENTIFIER)))
        .bind(lang -> DELIMITER.then(singleVal).map(v -> (Operation) new FtsOp(op, lang.orElse(null), v))));
    Parser<Operation> simple = SIMPLE_OPERATOR.bind(op -> DELIMITER.then(singleVal)
        .map(v -> (Operation) new SimpleOp(op, v)));
    Parser<String> quantifier = attempt(string("any")).or(string("all"));
    Parser<Operation> quant = QUANT_OPERATOR.bind(op -> optionMaybe(attempt(between(ch('('), ch(')'), quantifier)))
        .bind(q -> DELIMITER.then(singleVal).map(v -> (Operation) new QuantOp(op, q.orElse(null), v))));
    Parser<Operation> operation = in.or(is).or(isDistinct).or(attempt(fts)).or(attempt(simple)).or(attempt(quant))
        .label("operator (eq, gt, ...)");
    return not.bind(n -> operation.map(op -> new OpExpr(n, op, null)));
  }

  static final Parser<OpExpr> FILTER_EXPR = opExpr(SINGLE_VAL);

  private static final Parser<OrderTerm> ORDER_TERM = lazy(QueryGrammar::orderTerm);

  private static Parser<OrderTerm> orderTerm() {
    Parser<Boolean> dir = attempt(DELIMITER.then(string("asc")).as(false))
        .or(attempt(DELIMITER.then(string("desc")).as(true)));
    Parser<Boolean> nulls = attempt(DELIMITER.then(string("nullsfirst")).as(true))
        .or(attempt(DELIMITER.then(string("nullslast")).as(false)));
    Parser<Void> end = attempt(lookAhead(ch(',')).as((Void) null)).or(attempt(eof()));
    Parser<Optional<Boolean>> nullsThenEnd = optionMaybe(nulls).skip(end).or(end.as(Optional.empty()));
    Parser<OrderTerm> plain = FIELD.bind(f -> optionMaybe(dir).bind(d -> nullsThenEnd.map(n ->
        new OrderTerm(null, f, d.orElse(null), n.orElse(null)))));
    Parser<OrderTerm> related = FIELD_NAME.bind(rel -> between(ch('('), ch(')'), FIELD).bind(f ->
        optionMaybe(dir).bind(d -> nullsThenEnd.map(n -> new OrderTerm(rel, f, d.orElse(null), n.orElse(null))))));
    return lexeme(attempt(related).or(plain));
  }

  static final Parser<List<OrderTerm>> ORDER = sepBy1(ORDER_TERM, ch(','));

  static final Parser<LogicTree> LOGIC_TREE = lazy(QueryGrammar::logicTree);

  private static Parser<LogicTree> logicTree() {
    Parser<Filter> filter = FIELD.skip(DELIMITER).bind(f -> opExpr(LOGIC_SINGLE_VAL).map(e -> new Filter(f, e)));
    Parser<Boolean> not = attempt(string("not").then(DELIMITER).as(true)).or(pure(false))
        .label("negation operator (not)");
    Parser<Boolean> op = attempt(string("and")).as(true).or(string("or").as(false))
        .label("logic operator (and, or)");
    Parser<List<LogicTree>> children = lexeme(ch('(')).then(sepBy1(LOGIC_TREE, lexeme(ch(','))))
        .skip(lexeme(ch(')')));
    return attempt(filter).map(f -> (LogicTree) new Stmnt(f))
        .or(not.bind(n -> op.bind(isAnd -> children.map(c -> (LogicTree) new Expr(n, isAnd, c)))));
  }

  /** {@code pLogicPath}: the embed path and {@code and}, {@code or}, {@code not.and} or {@code not.or}. */
  static final Parser<List<Object>> LOGIC_PATH = sepBy1(FIELD_NAME, DELIMITER).map(path -> {
    String op = path.get(path.size() - 1);
    List<String> embed = new ArrayList<>();
    for (String p : path.subList(0, path.size() - 1)) {
      if (!p.equals("not")) {
        embed.add(p);
      }
    }
    return List.of(embed, path.contains("not") ? "not." + op : op);
  });

  static final Parser<List<String>> COLUMNS = sepBy1(FIELD_NAME, lexeme(ch(',')));
}
