package io.keywarden.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell; section rows span the table. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  /** A heading line between rows, like "Time to Ready, moto". */
  Table section(String title) {
    rows.add(List.of(title));
    return this;
  }

  String render() {
    int[] widths = new int[header.size()];
    for (List<String> row : withHeader()) {
      if (row.size() == widths.length) {
        for (int i = 0; i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int w : widths) {
      rule.add("-".repeat(w));
    }
    line(out, rule, widths);
    for (List<String> row : rows) {
      if (row.size() == 1) {
        out.append(row.get(0)).append('\n');
      } else {
        line(out, row, widths);
      }
    }
    return out.toString();
  }

  private List<List<String>> withHeader() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      // text columns left-aligned, figures right-aligned: they then line up on their units
      boolean figure = i > 0 && !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-');
      String padded = figure ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length());
      line.append(i == 0 ? "" : "  ").append(padded);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
