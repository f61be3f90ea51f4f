package dev.holdfast.testkit.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testkit.internal.rest.Parsec.Parser;
import dev.holdfast.testkit.internal.rest.Parsec.Reply;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error examples of PostgREST 13's {@code QueryParams.hs} doctests (its own statement of what its parser
 * reports), run through the port: same position, same rendered messages.
 */
class QueryGrammarErrorsTest {
  private static final Map<String, Parser<?>> PARSERS = Map.of(
      "FIELD_FOREST", QueryGrammar.FIELD_FOREST, "FIELD_NAME", QueryGrammar.FIELD_NAME,
      "JSON_PATH", QueryGrammar.JSON_PATH, "RELATION_SELECT", QueryGrammar.RELATION_SELECT,
      "FIELD_SELECT", QueryGrammar.FIELD_SELECT, "SPREAD_SELECT", QueryGrammar.SPREAD_SELECT,
      "FILTER_EXPR", QueryGrammar.FILTER_EXPR, "ORDER", QueryGrammar.ORDER, "LOGIC_TREE", QueryGrammar.LOGIC_TREE);

  static Stream<Arguments> doctests() {
    return Stream.of(
        Arguments.of("FIELD_FOREST", "id,clients(name[])", 1, 16, "unexpected '[' expecting letter, digit, \"-\", \"->>\", \"->\", \"::\", \".\", \")\", \",\" or end of input"),
        Arguments.of("FIELD_FOREST", "data->>-78xy", 1, 11, "unexpected 'x' expecting digit, \"->\", \"::\", \".\", \",\" or end of input"),
        Arguments.of("FIELD_NAME", ":", 1, 1, "unexpected \":\" expecting field name (* or [a..z0..9_$])"),
        Arguments.of("JSON_PATH", "->>-78xy", 1, 7, "unexpected 'x' expecting digit, \"->\", \"::\", \".\", \",\" or end of input"),
        Arguments.of("JSON_PATH", "->>--34", 1, 5, "unexpected \"-\" expecting digit"),
        Arguments.of("JSON_PATH", "->>-xy-4", 1, 5, "unexpected \"x\" expecting digit"),
        Arguments.of("RELATION_SELECT", "rel->jsonpath(*)", 1, 6, "unexpected '>'"),
        Arguments.of("RELATION_SELECT", "rel->jsonpath!hint(*)", 1, 6, "unexpected '>'"),
        Arguments.of("FIELD_SELECT", "name!hint", 1, 5, "unexpected '!' expecting letter, digit, \"-\", \"->>\", \"->\", \"::\", \".\", \")\", \",\" or end of input"),
        Arguments.of("FIELD_SELECT", "*!hint", 1, 2, "unexpected '!' expecting \")\", \",\" or end of input"),
        Arguments.of("FIELD_SELECT", "name::", 1, 7, "unexpected end of input expecting letter or digit"),
        Arguments.of("SPREAD_SELECT", "rel(*)", 1, 1, "unexpected \"r\" expecting \"...\""),
        Arguments.of("SPREAD_SELECT", "alias:...rel(*)", 1, 1, "unexpected \"a\" expecting \"...\""),
        Arguments.of("SPREAD_SELECT", "...rel->jsonpath(*)", 1, 9, "unexpected '>'"),
        Arguments.of("FILTER_EXPR", "fts().value", 1, 5, "unexpected \")\" expecting operator (eq, gt, ...)"),
        Arguments.of("FILTER_EXPR", "eq().value", 1, 4, "unexpected \")\" expecting operator (eq, gt, ...)"),
        Arguments.of("FILTER_EXPR", "is().value", 1, 3, "unexpected \"(\" expecting operator (eq, gt, ...)"),
        Arguments.of("FILTER_EXPR", "in().value", 1, 3, "unexpected \"(\" expecting operator (eq, gt, ...)"),
        Arguments.of("ORDER", "clients(name,id)", 1, 8, "unexpected '(' expecting letter, digit, \"-\", \"->>\", \"->\", delimiter (.), \",\" or end of input"),
        Arguments.of("ORDER", "id.ac", 1, 4, "unexpected \"c\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""),
        Arguments.of("ORDER", "id.descc", 1, 8, "unexpected 'c' expecting delimiter (.), \",\" or end of input"),
        Arguments.of("ORDER", "id.nulsfist", 1, 4, "unexpected \"n\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""),
        Arguments.of("ORDER", "id.nullslasttt", 1, 13, "unexpected 't' expecting \",\" or end of input"),
        Arguments.of("ORDER", "id.smth34", 1, 4, "unexpected \"s\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""),
        Arguments.of("ORDER", "id.asc.nlsfst", 1, 8, "unexpected \"l\" expecting \"nullsfirst\" or \"nullslast\""),
        Arguments.of("ORDER", "id.asc.nullslasttt", 1, 17, "unexpected 't' expecting \",\" or end of input"),
        Arguments.of("ORDER", "id.asc.smth34", 1, 8, "unexpected \"s\" expecting \"nullsfirst\" or \"nullslast\""),
        Arguments.of("LOGIC_TREE", "or()", 1, 4, "unexpected \")\" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)"),
        Arguments.of("LOGIC_TREE", "or(id.in.1,2,id.eq.3)", 1, 10, "unexpected \"1\" expecting \"(\""),
        Arguments.of("LOGIC_TREE", "or)(", 1, 3, "unexpected \")\" expecting \"(\""),
        Arguments.of("LOGIC_TREE", "and(ord(id.eq.1,id.eq.1),id.eq.2)", 1, 7, "unexpected \"d\" expecting \"(\""),
        Arguments.of("LOGIC_TREE", "or(id.eq.1,not.xor(id.eq.2,id.eq.3))", 1, 16, "unexpected \"x\" expecting logic operator (and, or)"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("doctests")
  void reportsTheErrorPostgrestReports(String parser, String input, int line, int column, String details) {
    Reply<?> reply = Parsec.parse(PARSERS.get(parser), input);

    assertThat(reply.ok()).isFalse();
    assertThat(reply.error().position()).isEqualTo("(line " + line + ", column " + column + ")");
    assertThat(reply.error().describe()).isEqualTo(details);
  }
}
