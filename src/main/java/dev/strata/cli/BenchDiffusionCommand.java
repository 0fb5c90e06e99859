package dev.strata.cli;

import dev.strata.bench.text.DiffusionTextBench;
import dev.strata.bench.text.DiffusionTextBench.Row;
import dev.strata.bench.text.DiffusionTraining;
import dev.strata.propose.DiffusionSamplers;
import dev.strata.report.Plots;
import dev.strata.tasks.text.TextCorpus;
import dev.strata.train.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bench diffusion}: a masked-diffusion character LM as a text generator — every
 * sampler at several tokens per forward, AR ancestral sampling and real text, judged by a second AR
 * model.
 */
@Command(
    name = "diffusion",
    mixinStandardHelpOptions = true,
    description =
        "Quality vs speed of masked-diffusion text generation: AR ancestral sampling and each diffusion sampler "
            + "(ancestral, llada, edit, edlm) at several tokens per forward pass, judged by the NLL of a second AR model and the "
            + "samples' unigram entropy; the diffusion model's NELBO next to the AR loss on the same windows. Prints a table, "
            + "writes JSON and a judge-NLL-vs-tokens-per-forward PNG.")
final class BenchDiffusionCommand implements Runnable {
  @Option(
      names = "--checkpoint",
      defaultValue = "runs/diffusion-edit",
      description =
          "the masked-diffusion model (strata train diffusion; the edit sampler needs --edit-fraction > 0) (default: ${DEFAULT-VALUE})")
  Path checkpoint;

  @Option(
      names = "--ar-checkpoint",
      defaultValue = "runs/lm-transformer",
      description =
          "the AR model of the AR row and of EDLM's energy, ideally trained with the diffusion model's budget (default: ${DEFAULT-VALUE})")
  Path arCheckpoint;

  @Option(
      names = "--judge",
      required = true,
      description =
          "a different AR model that scores every sample (another seed or a larger model); not the --ar-checkpoint")
  Path judge;

  @Option(
      names = "--data",
      defaultValue = "../shared/data/tinyshakespeare/input.txt",
      description =
          "the text the models were trained on: real-text reference and validation windows (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--samples",
      defaultValue = "32",
      description = "samples per row (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(
      names = "--length",
      defaultValue = "128",
      description = "characters per sample, a first newline included (default: ${DEFAULT-VALUE})")
  int length;

  @Option(
      names = "--tokens-per-forward",
      defaultValue = "1,2,4,8,16",
      split = ",",
      description = "nominal generated tokens per denoiser forward (default: ${DEFAULT-VALUE})")
  List<Integer> tokensPerForward;

  @Option(
      names = "--samplers",
      defaultValue = "ancestral,llada,edit,edlm",
      split = ",",
      description =
          "diffusion samplers to run, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  List<DiffusionSamplers.Kind> samplers;

  @Option(
      names = "--block",
      description =
          "llada/edit block length; divides --length (default: 32 if it does, else one block)")
  Integer block;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "of every token draw, AR included (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(
      names = "--candidates",
      defaultValue = "4",
      description = "EDLM: candidates per step (default: ${DEFAULT-VALUE})")
  int candidates;

  @Option(
      names = "--eval-batches",
      defaultValue = "8",
      description =
          "validation batches of 32 windows for the NELBO-vs-AR-loss line (0: skip) (default: ${DEFAULT-VALUE})")
  int evalBatches;

  @Mixin SeedOption seed;

  @Mixin ResultOption outOption = new ResultOption("runs/bench/diffusion.json");

  @Override
  public void run() {
    Path out = outOption.json(() -> Path.of("runs", "bench", "diffusion.json"));
    int blockLength = block != null ? block : length % 32 == 0 ? 32 : length;
    var settings =
        new DiffusionTextBench.Settings(
            samples,
            length,
            tokensPerForward,
            samplers.stream().map(Object::toString).toList(),
            blockLength,
            temperature,
            candidates,
            evalBatches,
            seed.seed);
    Path dif = SampleCommand.resolve(checkpoint);
    Checkpoint.State difState = Checkpoint.readState(dif);
    if (!DiffusionTraining.isDiffusion(difState.modelConfig())) {
      throw new IllegalArgumentException(
          checkpoint
              + " is not a masked-diffusion checkpoint (train one with strata train diffusion)");
    }
    Path arDir = arDir(arCheckpoint, "--ar-checkpoint");
    Path judgeDir = arDir(judge, "--judge");
    if (sameModel(arDir, judgeDir)) {
      throw new IllegalArgumentException(
          "--judge "
              + judge
              + " is the same model as --ar-checkpoint "
              + arCheckpoint
              + "; the judge must be another AR model (train one with another --seed)");
    }
    DiffusionTraining.Loaded d = DiffusionTraining.load(dif);
    if (samplers.contains(DiffusionSamplers.Kind.EDIT) && !d.model().config.editing()) {
      System.err.println(
          "bench: note — "
              + checkpoint
              + " was trained without --edit-fraction, so the edit sampler cannot edit");
    }
    if (length > d.model().config.context()) {
      throw new IllegalArgumentException(
          "--length "
              + length
              + " exceeds the diffusion model's context of "
              + d.model().config.context());
    }
    var ar = SampleCommand.loadAr(arCheckpoint, d.tokenizer(), "AR checkpoint");
    var jd = SampleCommand.loadAr(judge, d.tokenizer(), "judge");
    for (var m : List.of(ar, jd)) {
      if (length > m.model().config.context()) {
        throw new IllegalArgumentException(
            "--length "
                + length
                + " exceeds an AR model's context of "
                + m.model().config.context());
      }
    }
    TextCorpus corpus = TextCorpus.load(data);
    if (!corpus.tokenizer.alphabet().equals(d.tokenizer().alphabet())) {
      throw new IllegalArgumentException(
          "--data "
              + data
              + " has another alphabet than the models were trained on; give their training text");
    }
    var models = new DiffusionTextBench.Models(d.model(), ar.model(), jd.model());
    DiffusionTextBench.Result r =
        DiffusionTextBench.run(
            models, d.tokenizer(), corpus, settings, msg -> System.err.println("bench: " + msg));
    Checkpoint.State arState = Checkpoint.readState(arDir);
    print(r, difState, arState);
    Path png =
        out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
    try {
      plot(r, png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "diffusion-text");
    root.put("checkpoint", checkpoint.toString());
    root.put("diffusion_steps", difState.step());
    root.put("diffusion_train_seconds", difState.elapsedSeconds());
    root.put("ar_checkpoint", arCheckpoint.toString());
    root.put("ar_steps", arState.step());
    root.put("ar_train_seconds", arState.elapsedSeconds());
    root.put("judge", judge.toString());
    root.put("result", r);
    root.put("plot", png.toString());
    BenchJson.write(out, root);
    System.out.println("wrote " + png);
  }

  /** The checkpoint directory of an AR model, refusing a diffusion checkpoint. */
  private static Path arDir(Path p, String flag) {
    Path dir = Checkpoint.resolve(SampleCommand.resolve(p));
    if (DiffusionTraining.isDiffusion(Checkpoint.readState(dir).modelConfig())) {
      throw new IllegalArgumentException(
          flag
              + " "
              + p
              + " is a masked-diffusion checkpoint; give an autoregressive one (strata train lm)");
    }
    return dir;
  }

  /**
   * Whether two checkpoints hold the same weights (one directory, or byte-identical weight files).
   */
  static boolean sameModel(Path a, Path b) {
    try {
      if (a.toRealPath().equals(b.toRealPath())) return true;
      return Files.mismatch(a.resolve(Checkpoint.MODEL_FILE), b.resolve(Checkpoint.MODEL_FILE))
          == -1;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read checkpoint " + a + " or " + b + ": " + e.getMessage(), e);
    }
  }

  private static void print(
      DiffusionTextBench.Result r, Checkpoint.State dif, Checkpoint.State ar) {
    var s = r.settings();
    System.out.printf(
        "%d samples × %d characters (a first newline fixed), temperature %.2f; diffusion %d steps (%.1f min of "
            + "training), AR %d steps (%.1f min)%n%n",
        s.samples(),
        s.length(),
        s.temperature(),
        dif.step(),
        dif.elapsedSeconds() / 60,
        ar.step(),
        ar.elapsedSeconds() / 60);
    System.out.printf(
        "%-13s %5s %6s %8s %9s %8s %10s %9s %8s %6s%n",
        "method",
        "k",
        "steps",
        "tok/fwd",
        "forwards",
        "AR fwd",
        "judge NLL",
        "± s.e.",
        "entropy",
        "wall s");
    for (Row row : r.rows()) {
      System.out.printf(
          "%-13s %5s %6s %8.2f %9d %8d %10.3f %9.3f %8.2f %6.1f%n",
          row.method(),
          row.nominal() == 0 ? "–" : String.valueOf(row.nominal()),
          row.steps() == 0 ? "–" : String.valueOf(row.steps()),
          row.tokensPerForward(),
          row.forwards(),
          row.arForwards(),
          row.judgeNll(),
          row.judgeNllStdErr(),
          row.unigramEntropy(),
          row.seconds());
    }
    System.out.println(
        "(k: nominal tokens per denoiser forward; forwards: batched passes of the generator; AR fwd: EDLM's "
            + "scoring passes; judge NLL in nats/char; entropy of each sample's characters in bits)");
    System.out.println();
    for (String line : r.summary()) System.out.println(line);
    System.out.println(
        "\nexamples (first sample; AR, and each sampler at the middle tokens/forward):");
    int mid = s.tokensPerForward().get(s.tokensPerForward().size() / 2);
    for (Row row : r.rows()) {
      if (row.nominal() <= 1 && !row.method().equals("AR ancestral")
          || row.nominal() > 1 && row.nominal() != mid) continue;
      String text = row.example().strip().replace("\n", " ⏎ ");
      System.out.printf(
          "  %-13s %s%n", row.method(), text.length() > 100 ? text.substring(0, 100) + "…" : text);
    }
  }

  private static void plot(DiffusionTextBench.Result r, Path png) throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (String name : DiffusionSamplers.NAMES) {
      List<Row> rows = r.rows(name);
      if (rows.isEmpty()) continue;
      double[] x = rows.stream().mapToDouble(Row::tokensPerForward).toArray();
      for (double v : x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      series.put(name, new double[][] {x, rows.stream().mapToDouble(Row::judgeNll).toArray()});
    }
    Row ar = r.rows("AR ancestral").getFirst();
    Row real = r.rows("real text").getFirst();
    lo = Math.min(lo, 1);
    hi = Math.max(hi, 1);
    series.put("AR ancestral (1 tok/fwd)", new double[][] {{1}, {ar.judgeNll()}});
    series.put("real text", new double[][] {{lo, hi}, {real.judgeNll(), real.judgeNll()}});
    Plots.sweepPlot(
        png,
        "Masked diffusion: judge NLL vs tokens per forward ("
            + r.settings().samples()
            + " samples × "
            + r.settings().length()
            + " chars)",
        "generated tokens per forward pass (measured)",
        "judge NLL (nats/char)",
        series,
        true);
  }
}
