package dev.strata.cli;

import dev.strata.bench.sequence.Architecture;
import dev.strata.bench.sequence.DecodeBench;
import dev.strata.bench.sequence.Experiment;
import dev.strata.bench.sequence.ModelRun;
import dev.strata.bench.sequence.SequenceBenchTask;
import dev.strata.bench.sequence.SequenceMerge;
import dev.strata.bench.sequence.SequencePlan;
import dev.strata.bench.sequence.SequenceSuite;
import dev.strata.bench.sequence.TestPoint;
import dev.strata.nn.Engine;
import dev.strata.report.Plots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bench sequence --task …}: the synthetic sequence benchmarks (MQAR, induction heads,
 * selective copying, copying) that train each architecture from scratch and test it on fresh data,
 * and the long-context decode table. Prints a table, writes {@code runs/bench/sequence-<task>.json}
 * and PNG plots beside it.
 */
@Command(
    name = "sequence",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train attention, Mamba-2, Mamba-3 and hybrid LMs from scratch on a synthetic task and test them on fresh "
          + "data; or measure long-context prefill/decode speed and memory (--task decode).",
      "",
      "Default (CPU) budgets on 2 cores:",
      "mqar: vocab 256; (T,K) = (64,4) (128,8) (256,16) (512,64) at",
      "  10,000/5,000/2,500/1,000 steps x batch 32 over 20,000 sequences,",
      "  lr 3e-3 (attention needs ~10k steps to leave the 25%% plateau at",
      "  (64,4)); AA at width 64 and 128; MM, SS, TT, MMAM at width 64 with",
      "  N = 16, 32, 64; 1,000 test sequences per setting. The whole sweep",
      "  takes many hours: pick a setting (--seq/--pairs) and architectures",
      "  (--arch, --d-state), run parts in parallel, combine with --merge.",
      "induction: vocab 16, trained at length 64 (the paper: 256, where no",
      "  model left chance in 6,000 CPU steps; 6,000 steps x batch 32,",
      "  lr 3e-3), tested at 2^6 ... 2^18 on 64 ... 2 sequences (at most 2^18",
      "  tokens per length): SSMs recurrently (batched), attention until the",
      "  LxL attention matrix passes 1 GiB.",
      "selcopy: vocab 16, 16 tokens in a context of 256 (the paper: 4096),",
      "  500 steps x batch 32, lr 3e-3.",
      "copy: strings of 1-32 letters (alphabet 26), 600 steps x batch 64,",
      "  lr 3e-3, tested at 16, 32, 64, 128 letters.",
      "decode: untrained AAAA, MMMM, SSSS, TTTT, MMAM at width 128 (N 64):",
      "  prefill and decode tokens/s, decode-state bytes and resident memory at 1k,",
      "  16k and 64k tokens, batch 1; 120 s cap per cell.",
      "--full: the published sizes (MQAR: vocab 8192, 100k train / 3k test,",
      "  64 epochs at batch 256, widths 64-512; induction up to 2^20;",
      "  selective copying at length 4096; copying up to 400 letters), far",
      "  beyond an hour on a CPU.",
      ""
    })
final class BenchSequenceCommand implements Runnable {
  @Option(names = "--task", required = true, description = "${COMPLETION-CANDIDATES}")
  SequenceBenchTask taskChoice;

  /** The task's spelling, as results and file names carry it. */
  private String task;

  @Option(names = "--full", description = "the published sizes instead of the CPU ones")
  boolean full;

  @Option(
      names = "--arch",
      split = ",",
      paramLabel = "PATTERN",
      description =
          "layer patterns, letters A (attention), M (Mamba-2), S (Mamba-3), T (test-time memory); "
              + "default AA,MM,SS,TT,MMAM (decode: AAAA,MMMM,SSSS,TTTT,MMAM)")
  List<String> arch;

  @Option(
      names = "--width",
      split = ",",
      paramLabel = "WIDTH",
      description = "model widths (default: per task)")
  List<Integer> widths;

  @Option(
      names = "--d-state",
      split = ",",
      paramLabel = "N",
      description = "SSM state sizes N (default: per task)")
  List<Integer> states;

  @Option(
      names = "--steps",
      description = "training steps of every model (default: per task and setting)")
  Integer steps;

  @Option(names = "--batch", description = "training batch (default: per task)")
  Integer batch;

  @Option(names = "--lr", description = "peak learning rate (default: per task)")
  Double lr;

  @Option(
      names = "--seq",
      description =
          "MQAR: one setting of this sequence length (with --pairs); induction: the training length (default 64; --full 256)")
  Integer seq;

  @Option(names = "--pairs", description = "MQAR: key-value pairs of that setting (at most seq/4)")
  Integer pairs;

  @Option(names = "--vocab", description = "MQAR: vocabulary (default 256; --full 8192)")
  Integer vocab;

  @Option(
      names = "--test-lengths",
      split = ",",
      paramLabel = "LENGTH",
      description =
          "induction, selcopy: sequence lengths; copy: string lengths; decode: context lengths")
  List<Integer> testLengths;

  @Option(names = "--test-sequences", description = "test sequences per test (default: per task)")
  Integer testSequences;

  @Option(
      names = "--attention-memory-gib",
      defaultValue = "1",
      description =
          "skip attention tests whose L×L attention matrix passes this (default: ${DEFAULT-VALUE} GiB)")
  double attentionMemoryGib;

  @Option(
      names = "--time-cap",
      defaultValue = "300",
      description =
          "seconds allowed per test length (default 300; decode: per " + "cell, default 120)")
  double timeCap;

  @Mixin SeedOption seedOption;

  private long seed;

  @Mixin ResultOption out = new ResultOption("runs/bench/sequence-<task>.json");

  @Mixin ProgressOption progress;

  @Option(
      names = "--merge",
      split = ",",
      paramLabel = "JSON",
      description =
          "train nothing: combine the runs of these "
              + "result files of the same task (e.g. parts run in parallel) into one table, JSON and plot set")
  List<Path> merge;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    task = taskChoice.toString();
    seed = seedOption.seed;
    Path json = out.json(() -> Path.of("runs", "bench", "sequence-" + task + ".json"));
    if (task.equals("decode")) {
      runDecode(json);
      return;
    }
    if (merge != null && !merge.isEmpty()) {
      runMerge(json);
      return;
    }
    SequencePlan plan =
        SequencePlan.of(
            task,
            new SequencePlan.Options(
                full,
                arch,
                widths,
                states,
                steps,
                batch,
                lr,
                seq,
                pairs,
                vocab,
                testLengths,
                testSequences,
                new SequencePlan.Limits(attentionMemoryGib, timeCap, 2048),
                seed));
    var engine = Engine.info();
    System.out.printf(
        "sequence benchmark: %s%s, seed %d, %d threads%n",
        task, full ? " (--full)" : "", seed, engine.threads());
    System.out.println("budget: " + plan.budgetSummary());
    List<ModelRun> runs =
        new SequenceSuite(plan, msg -> System.err.println("bench: " + msg), progress.wanted())
            .run();
    if (task.equals("mqar")) printMqar(runs);
    else printByLength(runs, task.equals("copy"));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("task", task);
    root.put("full", full);
    root.put("seed", seed);
    root.put("engine", engine);
    root.put("budget", plan.budgetSummary());
    root.put(
        "experiments", plan.experiments().stream().map(BenchSequenceCommand::describe).toList());
    root.put("limits", plan.limits());
    root.put("runs", runs);
    BenchJson.write(json, root);
    plot(json, runs);
  }

  /** {@code --merge}: the runs of several result files of this task as one result (no training). */
  private void runMerge(Path json) {
    SequenceMerge merged = SequenceMerge.read(task, merge);
    List<ModelRun> runs = merged.runs();
    if (task.equals("mqar")) printMqar(runs);
    else printByLength(runs, task.equals("copy"));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("task", task);
    root.put("merged_from", merged.parts());
    root.put("runs", runs);
    BenchJson.write(json, root);
    plot(json, runs);
  }

  private static Map<String, Object> describe(Experiment e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setting", e.setting());
    m.put("train_task", e.train());
    m.put("budget", e.budget());
    m.put("archs", e.archs().stream().map(Architecture::label).toList());
    m.put(
        "tests",
        e.tests().stream()
            .map(t -> Map.of("length", t.length(), "sequences", t.sequences()))
            .toList());
    return m;
  }

  // ------------------------------------------------------------------ tables

  private static void printMqar(List<ModelRun> runs) {
    System.out.printf(
        "%n%-12s %-10s %-16s %9s %12s %6s %8s %8s %9s%n",
        "setting",
        "arch",
        "model",
        "params",
        "state floats",
        "steps",
        "train s",
        "loss",
        "accuracy");
    for (ModelRun r : runs) {
      TestPoint p = r.tests().getFirst();
      System.out.printf(
          "%-12s %-10s %-16s %9d %12d %6d %8.1f %8.4f %9s%n",
          r.setting(),
          r.arch(),
          r.label(),
          r.params(),
          r.stateFloats(),
          r.training().steps(),
          r.training().seconds(),
          r.training().finalLoss(),
          percent(p));
    }
  }

  /**
   * One row per test length; for copying the length is the string's (letters), otherwise the
   * sequence's (tokens).
   */
  private static void printByLength(List<ModelRun> runs, boolean copy) {
    System.out.printf(
        "%n%-10s %-14s %9s %8s %8s %9s %9s %5s %12s %10s %8s  %s%n",
        "arch",
        "model",
        "params",
        "train s",
        copy ? "letters" : "length",
        "accuracy",
        "seq acc",
        "seqs",
        "state floats",
        "peak RSS",
        "test s",
        "mode / status");
    for (ModelRun r : runs) {
      for (TestPoint p : r.tests()) {
        boolean ran = p.ran();
        System.out.printf(
            "%-10s %-14s %9d %8.1f %8d %9s %9s %5s %12d %10s %8s  %s%n",
            r.arch(),
            r.label(),
            r.params(),
            r.training().seconds(),
            copy ? (p.length() - 1) / 2 : p.length(),
            percent(p),
            ran ? String.format("%.1f%%", 100 * p.sequenceAccuracy()) : "—",
            ran ? Integer.toString(p.sequences()) : "—",
            p.stateFloats(),
            ran ? String.format("%.0f MiB", p.peakRssBytes() / 1048576.0) : "—",
            ran ? String.format("%.1f", p.seconds()) : "—",
            ran ? p.mode() : p.status());
      }
    }
  }

  private static String percent(TestPoint p) {
    return p.ran() ? String.format("%.1f%%", 100 * p.accuracy()) : "—";
  }

  // ------------------------------------------------------------------ plots

  private void plot(Path json, List<ModelRun> runs) {
    String stem = json.getFileName().toString().replaceFirst("\\.json$", "");
    try {
      switch (task) {
        case "mqar" -> {
          Map<String, List<ModelRun>> bySetting = new LinkedHashMap<>();
          for (ModelRun r : runs)
            bySetting.computeIfAbsent(r.setting(), k -> new ArrayList<>()).add(r);
          for (var e : bySetting.entrySet()) {
            Map<String, List<double[]>> curves = new LinkedHashMap<>();
            for (ModelRun r : e.getValue()) {
              TestPoint p = r.tests().getFirst();
              curves
                  .computeIfAbsent(r.arch() + " (" + r.pattern() + ")", k -> new ArrayList<>())
                  .add(new double[] {r.stateFloats(), p.ran() ? 100 * p.accuracy() : Double.NaN});
            }
            Path png =
                json.resolveSibling(
                    stem + "-" + e.getKey().replace("=", "").replace(' ', '-') + ".png");
            Plots.sweepPlot(
                png,
                "MQAR " + e.getKey() + ": accuracy vs state size",
                "state size (floats per sequence, log scale)",
                "accuracy (%)",
                series(curves),
                true,
                0,
                100);
            System.out.println("wrote " + png);
          }
        }
        case "selcopy" -> {
          Map<String, List<double[]>> curves = new LinkedHashMap<>();
          for (ModelRun r : runs) {
            for (TestPoint p : r.tests()) {
              curves
                  .computeIfAbsent(r.label(), k -> new ArrayList<>())
                  .add(new double[] {p.stateFloats(), p.ran() ? 100 * p.accuracy() : Double.NaN});
            }
          }
          Path png = json.resolveSibling(stem + ".png");
          Plots.sweepPlot(
              png,
              "Selective copying: accuracy vs state size",
              "state size (floats per sequence, log scale)",
              "accuracy (%)",
              series(curves),
              true,
              0,
              100);
          System.out.println("wrote " + png);
        }
        default -> { // induction, copy: accuracy and memory vs length
          boolean copy = task.equals("copy");
          Map<String, List<double[]>> acc = new LinkedHashMap<>();
          Map<String, List<double[]>> mem = new LinkedHashMap<>();
          for (ModelRun r : runs) {
            for (TestPoint p : r.tests()) {
              double x = copy ? (p.length() - 1) / 2.0 : p.length();
              acc.computeIfAbsent(r.label(), k -> new ArrayList<>())
                  .add(
                      new double[] {
                        x, p.ran() ? 100 * (copy ? p.sequenceAccuracy() : p.accuracy()) : Double.NaN
                      });
              mem.computeIfAbsent(r.label(), k -> new ArrayList<>())
                  .add(new double[] {x, p.ran() ? p.peakRssBytes() / 1048576.0 : Double.NaN});
            }
          }
          String what =
              copy
                  ? "Copying: string accuracy vs string length"
                  : "Induction heads: accuracy vs test length ("
                      + runs.stream()
                          .map(ModelRun::setting)
                          .distinct()
                          .collect(java.util.stream.Collectors.joining("; "))
                      + ")";
          String xLabel =
              copy ? "string length (letters, log scale)" : "sequence length (tokens, log scale)";
          Path png = json.resolveSibling(stem + ".png");
          Plots.sweepPlot(png, what, xLabel, "accuracy (%)", series(acc), true, 0, 100);
          System.out.println("wrote " + png);
          Path memPng = json.resolveSibling(stem + "-memory.png");
          Plots.sweepPlot(
              memPng,
              (copy ? "Copying" : "Induction heads") + ": peak resident memory while testing",
              xLabel,
              "peak RSS (MiB)",
              series(mem),
              true);
          System.out.println("wrote " + memPng);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write a plot beside " + json + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, double[][]> series(Map<String, List<double[]>> curves) {
    Map<String, double[][]> out = new LinkedHashMap<>();
    curves.forEach(
        (name, pts) -> {
          pts.sort((a, b) -> Double.compare(a[0], b[0]));
          double[] x = new double[pts.size()];
          double[] y = new double[pts.size()];
          for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
          }
          out.put(name, new double[][] {x, y});
        });
    return out;
  }

  // ------------------------------------------------------------------ decode

  private void runDecode(Path json) {
    if (seq != null
        || pairs != null
        || vocab != null
        || steps != null
        || batch != null
        || lr != null
        || testSequences != null) {
      throw new IllegalArgumentException(
          "--task decode trains nothing: it takes --arch, --width, --d-state, --test-lengths, "
              + "--time-cap and --seed");
    }
    DecodeBench.Plan plan =
        DecodeBench.Plan.of(
            arch,
            widths,
            states,
            testLengths,
            spec.commandLine().getParseResult().hasMatchedOption("--time-cap") ? timeCap : null,
            seed);
    var engine = Engine.info();
    System.out.printf(
        "long-context decode: batch 1, %d decode steps after the prefill (chunks of %d), cap %.0f s per cell, %d threads%n",
        plan.decodeTokens(), plan.prefillChunk(), plan.secondsCap(), engine.threads());
    List<DecodeBench.Row> rows =
        new DecodeBench(plan, msg -> System.err.println("bench: " + msg)).run();
    System.out.printf(
        "%n%-10s %-16s %9s %8s %12s %12s %11s %10s %10s  %s%n",
        "arch",
        "model",
        "params",
        "length",
        "prefill tok/s",
        "decode tok/s",
        "state MiB",
        "RSS MiB",
        "peak MiB",
        "status");
    for (DecodeBench.Row r : rows) {
      boolean ok = r.status().equals(TestPoint.OK);
      System.out.printf(
          "%-10s %-16s %9d %8d %12s %12s %11s %10s %10s  %s%n",
          r.arch(),
          r.label(),
          r.params(),
          r.length(),
          ok ? String.format("%.0f", r.prefillTokensPerS()) : "—",
          ok ? String.format("%.1f", r.decodeTokensPerS()) : "—",
          ok ? String.format("%.3f", r.stateBytes() / 1048576.0) : "—",
          ok ? String.format("%.0f", r.rssBytes() / 1048576.0) : "—",
          ok ? String.format("%.0f", r.peakRssBytes() / 1048576.0) : "—",
          r.status());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("task", "decode");
    root.put("seed", seed);
    root.put("engine", engine);
    root.put(
        "plan",
        Map.of(
            "archs",
            plan.archs().stream().map(Architecture::label).toList(),
            "lengths",
            plan.lengths(),
            "decode_tokens",
            plan.decodeTokens(),
            "prefill_chunk",
            plan.prefillChunk(),
            "seconds_cap",
            plan.secondsCap()));
    root.put("rows", rows);
    BenchJson.write(json, root);
    Map<String, List<double[]>> mem = new LinkedHashMap<>();
    for (DecodeBench.Row r : rows) {
      mem.computeIfAbsent(r.label(), k -> new ArrayList<>())
          .add(
              new double[] {
                r.length(),
                r.status().equals(TestPoint.OK) ? r.stateBytes() / 1048576.0 : Double.NaN
              });
    }
    Path png =
        json.resolveSibling(
            json.getFileName().toString().replaceFirst("\\.json$", "") + "-memory.png");
    try {
      Plots.sweepPlot(
          png,
          "Decode state vs context length (batch 1)",
          "context length (tokens, log scale)",
          "decode state (MiB)",
          series(mem),
          true);
      System.out.println("wrote " + png);
    } catch (IllegalArgumentException nothing) {
      System.out.println("no plot: no cell finished");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
