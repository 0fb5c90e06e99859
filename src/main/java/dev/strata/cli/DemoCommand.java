package dev.strata.cli;

import dev.strata.nn.Engine;
import dev.strata.propose.CausalLm;
import dev.strata.report.Report;
import dev.strata.tasks.text.LmTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata demo}: the main job. For now, the substrate layer: a character-level transformer
 * trained on tinyshakespeare for about two minutes, samples from it, a loss plot and a report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train a small character LM on tinyshakespeare for ~2 minutes; samples, loss plot and report in runs/demo/.")
final class DemoCommand implements Runnable {
  @Option(names = "--data", description = "text file (default: data/tinyshakespeare.txt, else ../shared/data/tinyshakespeare/input.txt)")
  Path data;

  @Option(names = "--minutes", defaultValue = "2", description = "training budget (default: ${DEFAULT-VALUE})") double minutes;

  @Option(names = "--arch", defaultValue = "transformer", description = "transformer, mamba2 or hybrid") String arch;

  @Option(names = "--out", defaultValue = "runs/demo") Path out;

  @Override
  public void run() {
    Path text = data != null ? data : defaultData();
    System.out.println("Strata demo: a " + arch + " character LM on " + text + ", " + minutes + " min on " + Engine.info().threads() + " threads");
    deleteOldRun();
    LmTraining.Options o = LmTraining.Options.cpu(text, arch, out)
        .withBudget(minutes * 60, 0)
        .withEval(100, 8)
        .withLr(3e-3, 3e-4, 50)
        .withProgressBar(System.console() != null);
    LmTraining.Outcome r = LmTraining.run(o, false);
    LmTraining.Loaded lm = LmTraining.load(r.checkpoint());
    String prompt = "ROMEO:";
    long[] gen = lm.model().generate(lm.tokenizer().encode(prompt), 300, new CausalLm.Sampling(0.8, 0, 7));
    String sample = prompt + lm.tokenizer().decode(gen);
    System.out.printf("%n%s, %,d parameters, %d steps in %.0f s: validation loss %.3f nats/char%n%n", r.arch(), r.params(),
        r.steps(), r.seconds(), r.valLoss());
    System.out.println(sample);
    Report report = new Report("Strata demo: " + r.arch() + " character LM")
        .put("data", text)
        .put("parameters", r.params())
        .put("steps", r.steps())
        .put("seconds", String.format("%.0f", r.seconds()))
        .put("validation loss (nats/char)", String.format("%.4f", r.valLoss()))
        .put("tokens/s", String.format("%.0f", r.tokensPerSecond()))
        .put("checkpoint", r.checkpoint());
    if (r.plot() != null) report.plot("training and validation loss", r.plot());
    report.verbatim("sample (temperature 0.8)", sample);
    try {
      report.write(out.resolve("report.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("\nreport: " + out.resolve("report.md") + "   plot: " + r.plot());
  }

  private void deleteOldRun() {
    Path ckpt = out.resolve("checkpoints");
    if (!Files.isDirectory(ckpt)) return;
    try (var walk = Files.walk(ckpt)) { // a demo always starts fresh
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path defaultData() {
    for (Path p : new Path[] {Path.of("data/tinyshakespeare.txt"), Path.of("../shared/data/tinyshakespeare/input.txt")}) {
      if (Files.isRegularFile(p)) return p;
    }
    throw new IllegalArgumentException("tinyshakespeare not found (data/tinyshakespeare.txt); give --data FILE");
  }
}
