package dev.strata.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A short Markdown run report: a title, a table of key facts (configuration and results), then
 * plots and verbatim blocks (e.g. generated samples) in the order they were added.
 *
 * <pre>{@code
 * new Report("demo: char LM on tinyshakespeare")
 *     .put("arch", "transformer").put("val loss", 1.6841)
 *     .plot("loss", runDir.resolve("loss.png"))
 *     .verbatim("sample", text)
 *     .write(runDir.resolve("report.md"));
 * }</pre>
 */
public final class Report {
  private final String title;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<Section> sections = new ArrayList<>();

  private sealed interface Section permits Plot, Verbatim {}

  private record Plot(String caption, Path png) implements Section {}

  private record Verbatim(String caption, String text) implements Section {}

  public Report(String title) {
    this.title = title;
  }

  /** Adds (or replaces) a row of the key-value table; numbers are shown to 4 significant digits. */
  public Report put(String key, Object value) {
    facts.put(key, format(value));
    return this;
  }

  /** Embeds a plot; its link is written relative to the report's folder. */
  public Report plot(String caption, Path png) {
    sections.add(new Plot(caption, png));
    return this;
  }

  /** Adds a captioned block of text shown exactly as given (a code fence). */
  public Report verbatim(String caption, String text) {
    sections.add(new Verbatim(caption, text));
    return this;
  }

  /** The report as Markdown, with plot links relative to {@code reportDir}. */
  public String toMarkdown(Path reportDir) {
    StringBuilder md = new StringBuilder("# ").append(oneLine(title)).append("\n\n");
    if (!facts.isEmpty()) {
      md.append("| | |\n|---|---|\n");
      facts.forEach(
          (k, v) -> md.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
      md.append('\n');
    }
    for (Section section : sections) {
      switch (section) {
        case Plot(String caption, Path png) -> {
          String link = relativeLink(reportDir, png);
          md.append("## ").append(oneLine(caption)).append("\n\n");
          md.append("![").append(oneLine(caption)).append("](").append(link).append(")\n\n");
        }
        case Verbatim(String caption, String text) -> {
          String fence = text.contains("```") ? "~~~~" : "```";
          md.append("## ").append(oneLine(caption)).append("\n\n");
          md.append(fence)
              .append('\n')
              .append(text.endsWith("\n") ? text : text + "\n")
              .append(fence)
              .append("\n\n");
        }
      }
    }
    return md.toString();
  }

  /**
   * Writes the report to {@code file} (creating its folder) through a temporary file and a rename.
   */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, toMarkdown(dir));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Integers as they are, other finite numbers to 4 significant digits, everything else by
   * toString.
   */
  static String format(Object value) {
    return switch (value) {
      case null -> "";
      case Double d -> formatDouble(d);
      case Float f -> formatDouble(f.doubleValue());
      default -> value.toString();
    };
  }

  private static String formatDouble(double d) {
    if (!Double.isFinite(d)) return Double.toString(d);
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String relativeLink(Path reportDir, Path png) {
    Path abs = png.toAbsolutePath().normalize();
    Path rel = reportDir.toAbsolutePath().normalize().relativize(abs);
    return rel.toString().replace('\\', '/').replace(" ", "%20");
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }
}
