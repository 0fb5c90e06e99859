package dev.strata.cli;

import dev.strata.nn.Engine;
import dev.strata.train.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata version}: Strata, libtorch, BLAS, threads and measured matmul speed. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Show versions, the BLAS in effect, threads and matmul GFLOP/s.")
final class VersionCommand implements Runnable {
  static final String STRATA_VERSION = Provenance.STRATA_VERSION;

  @Override
  public void run() {
    double gflops =
        Engine.matmulGflops(512, 0.3); // also loads the BLAS, so the check below is meaningful
    Engine.Info info = Engine.info();
    System.out.println("Strata      " + STRATA_VERSION);
    System.out.println(
        "libtorch    " + info.libtorch() + " (JavaCPP " + Engine.javacppVersion() + ")");
    System.out.println("BLAS        " + info.blas());
    System.out.println("threads     " + info.threads());
    System.out.println("Java        " + Runtime.version());
    System.out.printf("matmul      %.1f GFLOP/s (float32, 512×512)%n", gflops);
  }

  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Strata " + STRATA_VERSION};
    }
  }
}
