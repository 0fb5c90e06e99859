package dev.strata.cli;

import dev.strata.nn.Ops;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, accepted by every command (declared once on {@code strata}, inherited by the
 * subcommands): the threads libtorch and MKL use for one op. The launcher's {@code STRATA_THREADS}
 * sets the same number before the JVM starts (the default, all cores); the option lowers or raises
 * it for this command only. Provenance records the number in effect.
 */
final class ThreadsOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--threads",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description = "threads per op for libtorch and MKL (default: STRATA_THREADS, else all cores)")
  void threads(int n) {
    if (n < 1)
      throw new ParameterException(
          spec.commandLine(), "--threads must be at least 1, got " + n + "; try --threads 1");
    Ops.setThreads(n);
  }
}
