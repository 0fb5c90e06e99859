package dev.strata.cli;

import dev.strata.propose.CausalLm;
import dev.strata.tasks.text.LmTraining;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata sample}: text from a trained LM, decoded from KV caches / recurrent states. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Generate text from a trained language model checkpoint.")
final class SampleCommand implements Runnable {
  @Option(names = "--checkpoint", required = true, description = "a run directory, its checkpoints/ folder, or one step-… checkpoint")
  Path checkpoint;

  @Option(names = "--prompt", defaultValue = "\n", description = "text to continue (default: a newline)")
  String prompt;

  @Option(names = "--tokens", defaultValue = "500", description = "characters to generate (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(names = "--temperature", defaultValue = "0.8") double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely (0: all)") int topK;

  @Option(names = "--seed", defaultValue = "1") long seed;

  @Override
  public void run() {
    if (tokens <= 0) throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
    LmTraining.Loaded loaded = LmTraining.load(resolve(checkpoint));
    long[] ids = loaded.tokenizer().encode(prompt);
    long t0 = System.nanoTime();
    long[] out = loaded.model().generate(ids, tokens, new CausalLm.Sampling(temperature, topK, seed));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.println(prompt + loaded.tokenizer().decode(out));
    System.err.printf("(%d characters in %.2f s, %.0f chars/s, %s at step %d)%n", tokens, secs, tokens / secs,
        loaded.model().config.arch(), loaded.step());
  }

  /** A run directory holds its checkpoints in {@code checkpoints/}. */
  static Path resolve(Path p) {
    Path inner = p.resolve("checkpoints");
    return java.nio.file.Files.isDirectory(inner) ? inner : p;
  }
}
