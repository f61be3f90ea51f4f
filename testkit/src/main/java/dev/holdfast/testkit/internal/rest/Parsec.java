package dev.holdfast.testkit.internal.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A small parser-combinator core with the semantics of Haskell's Parsec 3 (which PostgREST's query-string parser
 * is written in): replies are consumed or empty, ok or failed; {@code <|>} only tries its right side when the
 * left failed without consuming; errors carry a position and {@code SysUnExpect}/{@code UnExpect}/{@code Expect}
 * messages that are merged, relabelled and rendered exactly as Parsec does, so that MockPostgrest's {@code
 * PGRST100} errors read byte for byte like PostgREST's ({@code "failed to parse order (id.ac)" (line 1, column
 * 4)}, {@code unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"}). Parsers are immutable and
 * thread-safe; a parse runs over an array of code points.
 */
public final class Parsec {
  private Parsec() {}

  /** The kinds of Parsec error messages, in Parsec's order (errors are sorted by kind before rendering). */
  public enum Kind { SYS_UNEXPECT, UNEXPECT, EXPECT, MESSAGE }

  /** One error message. */
  public record Message(Kind kind, String text) {}

  /** A parse error: where (1-based line and column, counted as Parsec counts) and the messages. */
  public record ParseError(int line, int column, List<Message> messages) {
    boolean unknown() {
      return messages.isEmpty();
    }

    int compareTo(ParseError o) {
      return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    /** Parsec's {@code mergeError}: the error further on wins; at the same place the messages add up. */
    ParseError merge(ParseError o) {
      if (o.unknown() && !unknown()) {
        return this;
      }
      if (unknown() && !o.unknown()) {
        return o;
      }
      int cmp = compareTo(o);
      if (cmp > 0) {
        return this;
      }
      if (cmp < 0) {
        return o;
      }
      List<Message> all = new ArrayList<>(messages.size() + o.messages.size());
      all.addAll(messages);
      all.addAll(o.messages);
      return new ParseError(line, column, all);
    }

    /** Parsec's {@code setErrorMessage}: drops every message of the new one's kind and puts it first. */
    ParseError setMessage(Message m) {
      List<Message> all = new ArrayList<>(messages.size() + 1);
      all.add(m);
      for (Message x : messages) {
        if (x.kind() != m.kind()) {
          all.add(x);
        }
      }
      return new ParseError(line, column, all);
    }

    /** {@code (line 1, column 4)} as Parsec's {@code show} of a position prints it. */
    public String position() {
      return "(line " + line + ", column " + column + ")";
    }

    /**
     * The messages as Parsec's {@code showErrorMessages "or" "unknown parse error" "expecting" "unexpected"
     * "end of input"} renders them, with PostgREST's newline-to-space and strip applied.
     */
    public String describe() {
      return ErrorText.render(messages);
    }
  }

  /** Where a parse is: an index into the code points and Parsec's line and column there. */
  public record State(int[] input, int index, int line, int column) {
    ParseError unknownError() {
      return new ParseError(line, column, List.of());
    }

    ParseError error(Kind kind, String text) {
      return new ParseError(line, column, List.of(new Message(kind, text)));
    }

    boolean atEnd() {
      return index >= input.length;
    }

    State advance(int c) {
      if (c == '\n') {
        return new State(input, index + 1, line + 1, 1);
      }
      if (c == '\t') {
        return new State(input, index + 1, line, column + 8 - ((column - 1) % 8));
      }
      return new State(input, index + 1, line, column + 1);
    }
  }

  /** A parser's answer: consumed input or not, a value or not, the state after it and the error so far. */
  public record Reply<T>(boolean consumed, boolean ok, T value, State state, ParseError error) {
    static <T> Reply<T> ok(boolean consumed, T value, State state, ParseError error) {
      return new Reply<>(consumed, true, value, state, error);
    }

    static <T> Reply<T> fail(boolean consumed, ParseError error) {
      return new Reply<>(consumed, false, null, null, error);
    }

    @SuppressWarnings("unchecked")
    <U> Reply<U> castFailure() {
      return (Reply<U>) this;
    }
  }

  /** A parser of {@code T}. */
  @FunctionalInterface
  public interface Parser<T> {
    Reply<T> run(State s);

    /** Monadic bind ({@code >>=}), merging errors of empty replies as Parsec does. */
    default <U> Parser<U> bind(Function<? super T, Parser<U>> k) {
      Parser<T> m = this;
      return s -> {
        Reply<T> r = m.run(s);
        if (!r.ok()) {
          return r.castFailure();
        }
        Reply<U> r2 = k.apply(r.value()).run(r.state());
        if (r.error().unknown() || r2.consumed()) {
          return r.consumed() && !r2.consumed() ? new Reply<>(true, r2.ok(), r2.value(), r2.state(), r2.error()) : r2;
        }
        ParseError merged = r.error().merge(r2.error());
        return new Reply<>(r.consumed(), r2.ok(), r2.value(), r2.state(), merged);
      };
    }

    default <U> Parser<U> map(Function<? super T, ? extends U> f) {
      Parser<T> m = this;
      return s -> {
        Reply<T> r = m.run(s);
        return r.ok() ? Reply.ok(r.consumed(), f.apply(r.value()), r.state(), r.error()) : r.castFailure();
      };
    }

    /** {@code p *> q}. */
    default <U> Parser<U> then(Parser<U> next) {
      return bind(x -> next);
    }

    /** {@code p <* q}: {@code do { x <- p; void q; return x }}. */
    default Parser<T> skip(Parser<?> next) {
      return bind(x -> next.bind(y -> pure(x)));
    }

    /** {@code p $> v}. */
    default <U> Parser<U> as(U value) {
      return map(x -> value);
    }

    /** {@code p <|> q}. */
    default Parser<T> or(Parser<T> other) {
      Parser<T> m = this;
      return s -> {
        Reply<T> r = m.run(s);
        if (r.ok() || r.consumed()) {
          return r;
        }
        Reply<T> r2 = other.run(s);
        if (r2.consumed()) {
          return r2;
        }
        return new Reply<>(false, r2.ok(), r2.value(), r2.state(), r.error().merge(r2.error()));
      };
    }

    /** {@code p <?> label}. */
    default Parser<T> label(String label) {
      Parser<T> m = this;
      Message expect = new Message(Kind.EXPECT, label);
      return s -> {
        Reply<T> r = m.run(s);
        if (r.consumed()) {
          return r;
        }
        if (r.ok()) {
          return r.error().unknown() ? r : Reply.ok(false, r.value(), r.state(), r.error().setMessage(expect));
        }
        return Reply.fail(false, r.error().setMessage(expect));
      };
    }
  }

  /** {@code return x}: succeeds without consuming, with an unknown error. */
  public static <T> Parser<T> pure(T value) {
    return s -> Reply.ok(false, value, s, s.unknownError());
  }

  /** {@code mzero}: fails without consuming and without messages. */
  public static <T> Parser<T> zero() {
    return s -> Reply.fail(false, s.unknownError());
  }

  /** {@code unexpected msg}. */
  public static <T> Parser<T> unexpected(String msg) {
    return s -> Reply.fail(false, s.error(Kind.UNEXPECT, msg));
  }

  /** Defers building a parser until its first use, for recursive grammars; builds it once. */
  public static <T> Parser<T> lazy(Supplier<Parser<T>> p) {
    return new Parser<>() {
      private volatile Parser<T> built;

      @Override
      public Reply<T> run(State s) {
        Parser<T> b = built;
        if (b == null) {
          b = p.get();
          built = b;
        }
        return b.run(s);
      }
    };
  }

  /** {@code try p}: a failure after consuming becomes a failure without consuming. */
  public static <T> Parser<T> attempt(Parser<T> p) {
    return s -> {
      Reply<T> r = p.run(s);
      return !r.ok() && r.consumed() ? Reply.fail(false, r.error()) : r;
    };
  }

  /** {@code lookAhead p}: succeeds with p's value without consuming. */
  public static <T> Parser<T> lookAhead(Parser<T> p) {
    return s -> {
      Reply<T> r = p.run(s);
      return r.ok() ? Reply.ok(false, r.value(), s, s.unknownError()) : r;
    };
  }

  /** {@code satisfy}: one character for which {@code test} holds; shown in errors as Haskell shows a string. */
  public static Parser<Integer> satisfy(IntPredicate test) {
    return s -> {
      if (s.atEnd()) {
        return Reply.fail(false, s.error(Kind.SYS_UNEXPECT, ""));
      }
      int c = s.input()[s.index()];
      if (!test.test(c)) {
        return Reply.fail(false, s.error(Kind.SYS_UNEXPECT, HaskellShow.string(new String(Character.toChars(c)))));
      }
      State next = s.advance(c);
      return Reply.ok(true, c, next, next.unknownError());
    };
  }

  /** {@code char c}. */
  public static Parser<Integer> ch(int c) {
    return satisfy(x -> x == c).label(HaskellShow.string(new String(Character.toChars(c))));
  }

  /** {@code anyChar}. */
  public static Parser<Integer> anyChar() {
    return satisfy(c -> true);
  }

  /** {@code oneOf cs}. */
  public static Parser<Integer> oneOf(String cs) {
    return satisfy(c -> cs.indexOf(c) >= 0);
  }

  /** {@code noneOf cs}. */
  public static Parser<Integer> noneOf(String cs) {
    return satisfy(c -> cs.indexOf(c) < 0);
  }

  /** {@code letter}: Haskell's {@code isAlpha}. */
  public static Parser<Integer> letter() {
    return satisfy(Character::isLetter).label("letter");
  }

  /** {@code digit}: ASCII digits only, as Haskell's {@code isDigit}. */
  public static Parser<Integer> digit() {
    return satisfy(c -> c >= '0' && c <= '9').label("digit");
  }

  /**
   * {@code string s} (Parsec's {@code tokens}): fails at the position where it started, consumed when it matched
   * a prefix, so it needs {@link #attempt} to backtrack.
   */
  public static Parser<String> string(String text) {
    int[] want = text.codePoints().toArray();
    String shown = HaskellShow.string(text);
    return s -> {
      if (want.length == 0) {
        return Reply.ok(false, text, s, s.unknownError());
      }
      State at = s;
      for (int i = 0; i < want.length; i++) {
        if (at.atEnd()) {
          return Reply.fail(i > 0, s.error(Kind.SYS_UNEXPECT, "").setMessage(new Message(Kind.EXPECT, shown)));
        }
        int c = at.input()[at.index()];
        if (c != want[i]) {
          ParseError e = s.error(Kind.SYS_UNEXPECT, HaskellShow.string(new String(Character.toChars(c))))
              .setMessage(new Message(Kind.EXPECT, shown));
          return Reply.fail(i > 0, e);
        }
        at = at.advance(c);
      }
      return Reply.ok(true, text, at, at.unknownError());
    };
  }

  /** {@code many p}: as Parsec's {@code manyAccum}. */
  public static <T> Parser<List<T>> many(Parser<T> p) {
    return s -> {
      List<T> out = new ArrayList<>();
      State at = s;
      boolean consumed = false;
      while (true) {
        Reply<T> r = p.run(at);
        if (r.consumed()) {
          if (!r.ok()) {
            return r.castFailure();
          }
          out.add(r.value());
          at = r.state();
          consumed = true;
          continue;
        }
        if (r.ok()) {
          throw new IllegalStateException("many: the parser accepts an empty string");
        }
        return Reply.ok(consumed, out, at, r.error());
      }
    };
  }

  /** {@code many1 p}. */
  public static <T> Parser<List<T>> many1(Parser<T> p) {
    return p.bind(x -> many(p).map(xs -> {
      List<T> all = new ArrayList<>(xs.size() + 1);
      all.add(x);
      all.addAll(xs);
      return all;
    }));
  }

  /** {@code sepBy1 p sep}. */
  public static <T> Parser<List<T>> sepBy1(Parser<T> p, Parser<?> sep) {
    return p.bind(x -> many(sep.then(p)).map(xs -> {
      List<T> all = new ArrayList<>(xs.size() + 1);
      all.add(x);
      all.addAll(xs);
      return all;
    }));
  }

  /** {@code sepBy p sep}. */
  public static <T> Parser<List<T>> sepBy(Parser<T> p, Parser<?> sep) {
    return sepBy1(p, sep).or(pure(List.of()));
  }

  /** {@code option x p}. */
  public static <T> Parser<T> option(T fallback, Parser<T> p) {
    return p.or(pure(fallback));
  }

  /** {@code optionMaybe p}. */
  public static <T> Parser<Optional<T>> optionMaybe(Parser<T> p) {
    return p.map(Optional::of).or(pure(Optional.empty()));
  }

  /** {@code between open close p}. */
  public static <T> Parser<T> between(Parser<?> open, Parser<?> close, Parser<T> p) {
    return open.then(p).skip(close);
  }

  /** {@code notFollowedBy p}, which Parsec shows with {@code show} of the value (a Char as {@code 'x'}). */
  public static Parser<Void> notFollowedByChar(Parser<Integer> p) {
    Parser<Void> failIfMatches = attempt(p).bind(c -> unexpected(HaskellShow.ch(c)));
    return attempt(failIfMatches.or(pure(null)));
  }

  /** {@code anyToken}: Parsec's does not move the position. */
  private static Parser<Integer> anyToken() {
    return s -> {
      if (s.atEnd()) {
        return Reply.fail(false, s.error(Kind.SYS_UNEXPECT, ""));
      }
      int c = s.input()[s.index()];
      State next = new State(s.input(), s.index() + 1, s.line(), s.column());
      return Reply.ok(true, c, next, next.unknownError());
    };
  }

  /** {@code eof = notFollowedBy anyToken <?> "end of input"}. */
  public static Parser<Void> eof() {
    return notFollowedByChar(anyToken()).label("end of input");
  }

  /** Runs {@code p} over {@code text} from line 1, column 1. */
  public static <T> Reply<T> parse(Parser<T> p, String text) {
    return p.run(new State(text.codePoints().toArray(), 0, 1, 1));
  }
}
