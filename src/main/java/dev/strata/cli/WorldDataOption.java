package dev.strata.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data FILE} for the world commands that read a Two-Room dataset ({@code world collect}
 * writes it): training reads it, evaluation and probing check that it is the file the model was
 * trained on.
 */
final class WorldDataOption {
  @Option(
      names = "--data",
      paramLabel = "FILE",
      defaultValue = "runs/world/two-room.bin",
      description =
          "Two-Room dataset from `world collect`; eval and probe need the one the model was trained on"
              + " (default: ${DEFAULT-VALUE})")
  Path data;
}
