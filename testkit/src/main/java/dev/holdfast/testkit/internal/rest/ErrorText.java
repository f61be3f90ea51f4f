package dev.holdfast.testkit.internal.rest;

import dev.holdfast.testkit.internal.rest.Parsec.Kind;
import dev.holdfast.testkit.internal.rest.Parsec.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Parsec's {@code showErrorMessages} with the words PostgREST passes ("or", "unknown parse error", "expecting",
 * "unexpected", "end of input"), after PostgREST's {@code T.strip . T.replace "\n" " "}. Stateless.
 */
final class ErrorText {
  private ErrorText() {}

  static String render(List<Message> unsorted) {
    if (unsorted.isEmpty()) {
      return "unknown parse error";
    }
    // Parsec sorts by kind only (a stable sort), then splits the list into runs of each kind.
    List<Message> msgs = new ArrayList<>(unsorted);
    msgs.sort(Comparator.comparing(Message::kind));
    List<String> sys = texts(msgs, Kind.SYS_UNEXPECT);
    List<String> unexpect = texts(msgs, Kind.UNEXPECT);
    List<String> expect = texts(msgs, Kind.EXPECT);
    List<String> other = texts(msgs, Kind.MESSAGE);

    String showSys;
    if (!unexpect.isEmpty() || sys.isEmpty()) {
      showSys = "";
    } else if (sys.get(0).isEmpty()) {
      showSys = "unexpected end of input";
    } else {
      showSys = "unexpected " + sys.get(0);
    }
    List<String> parts = new ArrayList<>();
    parts.add(showSys);
    parts.add(showMany("unexpected", unexpect));
    parts.add(showMany("expecting", expect));
    parts.add(showMany("", other));
    StringBuilder out = new StringBuilder();
    for (String p : clean(parts)) {
      out.append('\n').append(p);
    }
    return out.toString().replace('\n', ' ').strip();
  }

  private static List<String> texts(List<Message> msgs, Kind kind) {
    List<String> out = new ArrayList<>();
    for (Message m : msgs) {
      if (m.kind() == kind) {
        out.add(m.text());
      }
    }
    return out;
  }

  private static String showMany(String pre, List<String> msgs) {
    List<String> ms = clean(msgs);
    if (ms.isEmpty()) {
      return "";
    }
    return pre.isEmpty() ? commasOr(ms) : pre + " " + commasOr(ms);
  }

  private static String commasOr(List<String> ms) {
    if (ms.size() == 1) {
      return ms.get(0);
    }
    return String.join(", ", ms.subList(0, ms.size() - 1)) + " or " + ms.get(ms.size() - 1);
  }

  /** {@code nub . filter (not . null)}. */
  private static List<String> clean(List<String> ms) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    for (String m : ms) {
      if (!m.isEmpty()) {
        seen.add(m);
      }
    }
    return new ArrayList<>(seen);
  }
}
