package dev.strata.cli;

import dev.strata.train.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command line. User mistakes end with one line on stderr and exit code 2. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Prediction embedded in optimization: proposers, energies, search and JEPA world models on libtorch.",
    subcommands = {
      VersionCommand.class,
      DemoCommand.class,
      TrainCommand.class,
      SampleCommand.class,
      BenchCommand.class,
      SolveCommand.class,
      PlotCommand.class,
      WorldCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code for a user mistake (bad argument, missing file, corrupt checkpoint). */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ThreadsOption threads;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    Provenance.startCommand(args);
    CommandLine cli = new CommandLine(new Main());
    Choices.install(cli);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine()
              .getErr()
              .println(
                  "strata: "
                      + ex.getMessage()
                      + " (see: strata "
                      + ex.getCommandLine()
                          .getCommandSpec()
                          .qualifiedName(" ")
                          .replaceFirst("^strata ?", "")
                      + " --help)");
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (UserErrors.isUserError(ex)) {
            c.getErr().println("strata: " + ex.getMessage());
            return USAGE;
          }
          throw ex;
        });
    return cli.execute(args);
  }
}
