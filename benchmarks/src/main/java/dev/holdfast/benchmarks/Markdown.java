package dev.holdfast.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A markdown section being written: headings, paragraphs and tables. Not thread-safe. */
final class Markdown {
  private final StringBuilder out = new StringBuilder();

  Markdown heading(String text) {
    out.append("### ").append(text).append("\n\n");
    return this;
  }

  Markdown paragraph(String text) {
    out.append(text).append("\n\n");
    return this;
  }

  Table table(String... header) {
    return new Table(header);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** "met" or "NOT met", for goal lines. */
  static String verdict(boolean met) {
    return met ? "**met**" : "**NOT met**";
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** A table under construction; {@link #end()} writes it. */
  final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String[] header) {
      this.header = header;
    }

    Table row(Object... cells) {
      String[] r = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        r[i] = String.valueOf(cells[i]);
      }
      rows.add(r);
      return this;
    }

    Markdown end() {
      out.append("| ").append(String.join(" | ", header)).append(" |\n|");
      for (int i = 0; i < header.length; i++) {
        out.append(i == 0 ? " --- |" : " ---: |");
      }
      out.append('\n');
      for (String[] r : rows) {
        out.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      out.append('\n');
      return Markdown.this;
    }
  }
}
