package dev.strata.cli;

import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out DIR} for the commands that train: the run directory (checkpoints, metrics.jsonl,
 * plots). Each command names its default, placeholders included, and computes it: {@code @Mixin
 * RunDirOption out = new RunDirOption("runs/lm-<arch>");} then {@code out.dir(() -> …)}.
 */
final class RunDirOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "run directory: checkpoints, metrics.jsonl, plots (default: ${DEFAULT-VALUE})")
  String out;

  RunDirOption() {
    this("runs/<command>");
  }

  RunDirOption(String defaultPattern) {
    this.out = defaultPattern;
  }

  /** The directory the user gave, else {@code fallback}'s (the default pattern filled in). */
  Path dir(Supplier<Path> fallback) {
    return given(spec, "--out") ? Path.of(out) : fallback.get();
  }

  static boolean given(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }
}
