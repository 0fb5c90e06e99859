package dev.strata.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void writesTitleTablePlotLinkAndVerbatimBlockInOrder() throws IOException {
    Path runDir = dir.resolve("runs/demo");
    Path report = runDir.resolve("report.md");
    new Report("demo: char LM")
        .put("arch", "transformer")
        .put("params", 830_081L)
        .put("val loss", 1.684137)
        .put("pattern", "M|A")
        .plot("loss", runDir.resolve("plots/loss.png"))
        .verbatim("sample", "ROMEO:\nWhat light")
        .write(report);

    String md = Files.readString(report);
    assertThat(md).startsWith("# demo: char LM\n\n| | |\n|---|---|\n");
    assertThat(md)
        .contains(
            "| arch | transformer |\n",
            "| params | 830081 |\n",
            "| val loss | 1.684 |\n",
            "| pattern | M\\|A |\n");
    assertThat(md).contains("![loss](plots/loss.png)");
    assertThat(md).contains("```\nROMEO:\nWhat light\n```\n");
    assertThat(md.indexOf("![loss]")).isLessThan(md.indexOf("ROMEO:"));
  }

  @Test
  void linksPlotsOutsideTheReportFolderRelatively() {
    String md =
        new Report("t")
            .plot("curves", dir.resolve("shared/curves.png"))
            .toMarkdown(dir.resolve("runs/a"));
    assertThat(md).contains("![curves](../../shared/curves.png)");
  }

  @Test
  void formatsNumbersForReading() {
    assertThat(Report.format(3.0)).isEqualTo("3");
    assertThat(Report.format(12345.678)).isEqualTo("12350");
    assertThat(Report.format(0.000123456f)).isEqualTo("0.0001235");
    assertThat(Report.format(Double.NaN)).isEqualTo("NaN");
    assertThat(Report.format(42)).isEqualTo("42");
    assertThat(Report.format(null)).isEmpty();
  }
}
