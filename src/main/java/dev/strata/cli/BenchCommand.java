package dev.strata.cli;

import dev.strata.bench.PyTorchPeer;
import dev.strata.bench.SubstrateBench;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code strata bench …}: benchmarks that print a table and write a JSON result. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark.",
    subcommands = {
      BenchCommand.Substrate.class,
      BenchReasoningCommand.class,
      BenchAnytimeCommand.class,
      BenchSequenceCommand.class,
      BenchDiffusionCommand.class
    })
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code strata bench substrate}: matmul peak, op overhead, and three equal-size LMs. */
  @Command(
      name = "substrate",
      mixinStandardHelpOptions = true,
      description =
          "Measure the substrate: matmul GFLOP/s, per-op overhead, training step, decode speed and memory "
              + "for a transformer, a Mamba-2 and a hybrid LM; optionally side by side with PyTorch eager.")
  static final class Substrate implements Runnable {
    @Option(
        names = "--pytorch",
        paramLabel = "PYTHON",
        description =
            "a Python with torch: also run bench/pytorch/bench_substrate.py and print ratios")
    String python;

    @Option(
        names = "--archs",
        defaultValue = "transformer,mamba2,hybrid",
        split = ",",
        description =
            "models to measure, of transformer, mamba2, hybrid (default: ${DEFAULT-VALUE})")
    List<String> archs;

    @Option(names = "--steps", defaultValue = "8", description = "timed training steps per arch")
    int steps;

    @Mixin ResultOption out = new ResultOption("runs/bench/substrate.json");

    @Option(
        names = "--profile",
        description =
            "also print where a training step's and a decode token's time goes (libtorch per-op"
                + " profile)")
    boolean profile;

    @Override
    public void run() {
      for (String a : archs) {
        if (!List.of("transformer", "mamba2", "hybrid").contains(a)) {
          throw new IllegalArgumentException(
              "unknown architecture '" + a + "'; choose transformer, mamba2 or hybrid");
        }
      }
      if (steps <= 0) throw new IllegalArgumentException("--steps must be positive, got " + steps);
      var d = SubstrateBench.Settings.defaults();
      var settings =
          new SubstrateBench.Settings(
              archs,
              d.vocab(),
              d.batch(),
              d.context(),
              steps,
              d.decodeTokens(),
              d.memoryContexts());
      JsonNode peer =
          python == null
              ? null
              : PyTorchPeer.run(python, Path.of("bench/pytorch/bench_substrate.py"), archs, steps);
      SubstrateBench.Result r =
          new SubstrateBench(settings).run(msg -> System.err.println("bench: " + msg));
      print(r, peer, settings);
      write(r, peer);
      if (profile) {
        for (String arch : archs) {
          System.out.println(
              "\nper-op profile of one "
                  + arch
                  + " training step (forward + backward, self time):");
          System.out.println(
              dev.strata.bench.OpProfile.table(
                  new SubstrateBench(settings).profileTrainingStep(arch, 2), 15));
          System.out.println(
              "\nper-op profile of " + arch + " batch-1 decode, 64 tokens (self time):");
          System.out.println(
              dev.strata.bench.OpProfile.table(
                  new SubstrateBench(settings).profileDecodeStep(arch, 64), 15));
        }
      }
    }

    private void print(SubstrateBench.Result r, JsonNode peer, SubstrateBench.Settings s) {
      System.out.printf(
          "engine: libtorch %s, %s, %d threads%n",
          r.engine().libtorch(), r.engine().blas(), r.engine().threads());
      System.out.printf(
          "matmul: %.1f GFLOP/s (512²), %.1f GFLOP/s (1024²)%s%n",
          r.matmulGflops512(),
          r.matmulGflops1024(),
          peer == null
              ? ""
              : String.format(
                  "   PyTorch: %.1f / %.1f",
                  peer.at("/matmul_gflops/512").asDouble(),
                  peer.at("/matmul_gflops/1024").asDouble()));
      System.out.printf(
          "per-op overhead: %.2f µs%s%n",
          r.opOverheadUs(),
          peer == null
              ? ""
              : String.format("   PyTorch: %.2f µs", peer.get("op_overhead_us").asDouble()));
      System.out.printf(
          "%nLMs at batch %d × context %d (forward + backward + AdamW):%n", s.batch(), s.context());
      String header =
          String.format(
              "%-12s %-8s %9s %9s %9s %11s",
              "arch", "pattern", "params", "step ms", "% peak", "decode tok/s");
      if (peer != null)
        header +=
            String.format("  %10s %10s %9s %9s", "torch ms", "speed ×", "torch tok/s", "decode ×");
      System.out.println(header);
      for (SubstrateBench.ArchResult a : r.archs()) {
        String row =
            String.format(
                "%-12s %-8s %9d %9.1f %8.1f%% %11.0f",
                a.arch(),
                a.pattern(),
                a.params(),
                a.stepMs(),
                100 * a.peakFraction(),
                a.decodeTokensPerS());
        JsonNode p = peer == null ? null : peer.at("/archs/" + a.arch());
        if (p != null && !p.isMissingNode()) {
          double tMs = p.get("train_step_ms").asDouble();
          double tTok = p.get("decode_tokens_per_s").asDouble();
          row +=
              String.format(
                  "  %10.1f %9.2f× %9.0f %8.2f×",
                  tMs, tMs / a.stepMs(), tTok, a.decodeTokensPerS() / tTok);
        }
        System.out.println(row);
      }
      System.out.printf(
          "%ndecode-state memory at batch 1 (KV caches grow with context; SSM states do not):%n");
      System.out.printf("%-12s %s%n", "arch", Arrays.toString(s.memoryContexts()));
      for (SubstrateBench.ArchResult a : r.archs()) {
        StringBuilder row = new StringBuilder(String.format("%-12s", a.arch()));
        for (Map.Entry<Long, Long> e : a.decodeStateBytes().entrySet())
          row.append(String.format(" %9.2f MiB", e.getValue() / 1048576.0));
        System.out.println(row);
      }
      if (peer != null)
        System.out.println(
            "(× > 1: Strata is faster than PyTorch "
                + peer.path("torch").asString()
                + " eager, same threads, same run)");
    }

    private void write(SubstrateBench.Result r, JsonNode peer) {
      var json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
      var root = json.createObjectNode();
      root.set("strata", json.valueToTree(r));
      if (peer != null) root.set("pytorch", peer);
      BenchJson.write(out.json(() -> Path.of("runs", "bench", "substrate.json")), root);
    }
  }
}
