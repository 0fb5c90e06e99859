package dev.strata.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, for the commands that draw random numbers; each command gives its own default:
 * {@code @Mixin SeedOption seed = new SeedOption(1337);}.
 */
final class SeedOption {
  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  SeedOption() {
    this(1);
  }

  SeedOption(long defaultSeed) {
    this.seed = defaultSeed;
  }
}
