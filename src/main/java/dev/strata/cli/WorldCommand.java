package dev.strata.cli;

import dev.strata.world.Trajectories;
import dev.strata.world.TwoRoomConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata world …}: the LeWM world model on Two-Room (collect, train, eval, probe). */
@Command(name = "world", description = "JEPA world model (LeWM) on Two-Room: collect data, train, plan, evaluate.",
    subcommands = {WorldCommand.Collect.class})
final class WorldCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code strata world collect}: the noisy-expert dataset. */
  @Command(name = "collect", mixinStandardHelpOptions = true,
      description = "Collect Two-Room episodes of the noisy expert (states and actions; frames are rendered on the fly).")
  static final class Collect implements Runnable {
    @Option(names = "--episodes", defaultValue = "10000", description = "episodes (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--held-out", defaultValue = "1000",
        description = "the last this many episodes are held out for evaluation (default: ${DEFAULT-VALUE})")
    int heldOut;

    @Option(names = "--seed", defaultValue = "0") long seed;

    @Option(names = "--out", defaultValue = "runs/world/two-room.bin", description = "dataset file (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public void run() {
      long t0 = System.nanoTime();
      Trajectories data = Trajectories.collect(TwoRoomConfig.DEFAULT, episodes, heldOut, seed);
      data.write(out);
      System.out.printf("%,d episodes (%,d held out), %,d steps (%.1f per episode) in %.1f s → %s%n", data.episodes(),
          data.heldOut, data.steps(), (double) data.steps() / data.episodes(), (System.nanoTime() - t0) / 1e9, out);
    }
  }
}
