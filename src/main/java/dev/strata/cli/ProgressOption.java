package dev.strata.cli;

import picocli.CommandLine.Option;

/** {@code --no-progress}, for the commands that show a progress bar while they train. */
final class ProgressOption {
  @Option(names = "--no-progress", description = "print status lines instead of a progress bar")
  boolean noProgress;

  /** Whether progress may be drawn as a bar (not asked to print lines). */
  boolean wanted() {
    return !noProgress;
  }

  /** A progress bar: wanted, and a terminal to draw it on. */
  boolean bar() {
    return !noProgress && System.console() != null;
  }
}
