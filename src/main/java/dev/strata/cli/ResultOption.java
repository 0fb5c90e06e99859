package dev.strata.cli;

import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out FILE} for the commands that measure: the JSON result, with its plots written beside
 * it. Each command names its default: {@code @Mixin ResultOption out = new
 * ResultOption("runs/bench/reasoning-<task>.json");} then {@code out.json(() -> …)}.
 */
final class ResultOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "JSON result; plots go beside it (default: ${DEFAULT-VALUE})")
  String out;

  ResultOption() {
    this("runs/bench/<command>.json");
  }

  ResultOption(String defaultPattern) {
    this.out = defaultPattern;
  }

  /** The file the user gave, else {@code fallback}'s (the default pattern filled in). */
  Path json(Supplier<Path> fallback) {
    return RunDirOption.given(spec, "--out") ? Path.of(out) : fallback.get();
  }
}
