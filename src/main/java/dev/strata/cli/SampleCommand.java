package dev.strata.cli;

import dev.strata.bench.text.DiffusionTraining;
import dev.strata.bench.text.LmTraining;
import dev.strata.propose.CandidateEnergy;
import dev.strata.propose.CausalLm;
import dev.strata.propose.DiffusionSample;
import dev.strata.propose.DiffusionSampler;
import dev.strata.propose.DiffusionSamplers;
import dev.strata.propose.RandomSource;
import dev.strata.report.DenoisingOrderPlot;
import dev.strata.tasks.text.CharTokenizer;
import dev.strata.train.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata sample}: text from a trained LM. An autoregressive checkpoint decodes from KV
 * caches / recurrent states; a masked-diffusion checkpoint (the kind comes from the checkpoint)
 * runs one of its samplers.
 */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description =
        "Generate text from a trained language model checkpoint (autoregressive or masked diffusion).")
final class SampleCommand implements Runnable {
  @Option(
      names = "--checkpoint",
      required = true,
      description = "a run directory, its checkpoints/ folder, or one step-… checkpoint")
  Path checkpoint;

  @Option(
      names = "--prompt",
      defaultValue = "\n",
      description = "text to continue (default: a newline)")
  String prompt;

  @Option(
      names = "--tokens",
      description =
          "characters to generate (default: 500; masked diffusion: the model's context minus the prompt)")
  Integer tokens;

  @Option(
      names = "--temperature",
      description = "default: 0.8 autoregressive; 1 ancestral and edlm; 0 (argmax) llada")
  Double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description = "sample among the k most likely (0: all; autoregressive only)")
  int topK;

  @Mixin SeedOption seedOption;

  @Option(
      names = "--sampler",
      defaultValue = "llada",
      description =
          "masked diffusion: ${COMPLETION-CANDIDATES}: MDLM's ancestral, LLaDA's low-confidence remasking, LLaDA 2.1 editing, energy-guided EDLM (default: ${DEFAULT-VALUE})")
  DiffusionSamplers.Kind sampler;

  @Option(
      names = "--steps",
      description = "masked diffusion: denoising steps (default: one per generated token)")
  Integer steps;

  @Option(
      names = "--block",
      description =
          "masked diffusion (llada, edit): block length; must divide prompt + tokens (default: 32 if it does, else one block)")
  Integer block;

  @Option(
      names = "--ar-checkpoint",
      description =
          "edlm: the autoregressive model whose residual energy guides the sampler (same vocabulary)")
  Path arCheckpoint;

  @Option(
      names = "--candidates",
      defaultValue = "4",
      description = "edlm: candidates per importance-sampling step (default: ${DEFAULT-VALUE})")
  int candidates;

  @Option(
      names = "--window",
      defaultValue = "0,1",
      split = ",",
      description = "edlm: importance sampling at steps with t in (lo, hi] (default: 0,1)")
  double[] window;

  @Option(
      names = "--samples",
      defaultValue = "1",
      description = "masked diffusion: sequences sampled together in one batch")
  int samples;

  @Option(
      names = "--order-png",
      description =
          "masked diffusion: write the first sample's denoising order (step × position) to this PNG")
  Path orderPng;

  private long seed;

  @Override
  public void run() {
    seed = seedOption.seed;
    if (tokens != null && tokens <= 0)
      throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
    Path ckpt = resolve(checkpoint);
    if (DiffusionTraining.isDiffusion(Checkpoint.readState(ckpt).modelConfig())) {
      sampleDiffusion(ckpt);
      return;
    }
    int n = tokens != null ? tokens : 500;
    LmTraining.Loaded loaded = LmTraining.load(ckpt);
    long[] ids = loaded.tokenizer().encode(prompt);
    long t0 = System.nanoTime();
    double temp = temperature != null ? temperature : 0.8;
    long[] out = loaded.model().generate(ids, n, new CausalLm.Sampling(temp, topK, seed));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.println(prompt + loaded.tokenizer().decode(out));
    System.err.printf(
        "(%d characters in %.2f s, %.0f chars/s, %s at step %d)%n",
        n, secs, n / secs, loaded.model().config.arch(), loaded.step());
  }

  private void sampleDiffusion(Path ckpt) {
    if (samples <= 0)
      throw new IllegalArgumentException("--samples must be positive, got " + samples);
    if (steps != null && steps < 1)
      throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
    DiffusionTraining.Loaded loaded = DiffusionTraining.load(ckpt);
    long[] ids = loaded.tokenizer().encode(prompt);
    int context = loaded.model().config.context();
    int n = tokens != null ? tokens : context - ids.length;
    if (n <= 0)
      throw new IllegalArgumentException(
          "the prompt ("
              + ids.length
              + " characters) fills the model's context of "
              + context
              + "; give --tokens");
    int length = ids.length + n;
    int nSteps = steps != null ? steps : n;
    int blockLength = block != null ? block : length % 32 == 0 ? 32 : length;
    if (block != null && (block < 1 || length % block != 0)) {
      throw new IllegalArgumentException(
          "--block "
              + block
              + " does not divide the sequence length "
              + length
              + " (prompt "
              + ids.length
              + " + tokens "
              + n
              + ")");
    }
    DiffusionSamplers.Spec spec =
        DiffusionSamplers.Spec.of(
            nSteps, blockLength, temperature != null ? temperature : Double.NaN);
    if (sampler == DiffusionSamplers.Kind.EDLM) {
      if (arCheckpoint == null)
        throw new IllegalArgumentException(
            "--sampler edlm needs --ar-checkpoint (an autoregressive model of the same text)");
      if (window.length != 2)
        throw new IllegalArgumentException("--window takes two numbers, lo,hi");
      CausalLm ar = loadAr(arCheckpoint, loaded.tokenizer(), "AR checkpoint").model();
      spec =
          spec.withEnergy(
              CandidateEnergy.arResidual(ar), candidates, window[0], window[1], seed + 1);
    }
    DiffusionSampler s = DiffusionSamplers.of(sampler, spec);
    long[][] start = DiffusionSampler.prompted(ids, samples, length, loaded.model().maskId());
    long t0 = System.nanoTime();
    DiffusionSample r = s.sample(loaded.model(), start, new RandomSource(seed));
    double secs = (System.nanoTime() - t0) / 1e9;
    for (long[] row : r.tokens()) System.out.println(loaded.tokenizer().decode(row));
    System.err.printf(
        "(%s: %d × %d characters in %.2f s; %d steps, %d denoiser forwards, %.2f tokens/forward, %d AR forwards over %d sequences, %d edits; step %d)%n",
        sampler,
        samples,
        n,
        secs,
        r.steps(),
        r.denoiserForwards(),
        r.tokensPerForward(),
        r.arForwards(),
        r.arSequences(),
        r.edits().size(),
        loaded.step());
    if (r.steps() > r.denoiserForwards()) {
      System.err.printf(
          "(%d of the %d steps reused the previous forward: their input had not changed)%n",
          r.steps() - r.denoiserForwards(), r.steps());
    }
    if (orderPng != null) {
      try {
        DenoisingOrderPlot.write(
            orderPng,
            "Denoising order: " + sampler + ", " + r.steps() + " steps",
            r.committedAt()[0],
            r.editSteps(0),
            r.steps());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + orderPng + ": " + e.getMessage(), e);
      }
      System.err.println("order: " + orderPng);
    }
  }

  /**
   * An autoregressive checkpoint whose vocabulary is the diffusion model's ({@code tokenizer});
   * {@code role} names it in the error ("AR checkpoint", "judge").
   */
  static LmTraining.Loaded loadAr(Path checkpoint, CharTokenizer tokenizer, String role) {
    LmTraining.Loaded ar = LmTraining.load(resolve(checkpoint));
    if (!ar.tokenizer().alphabet().equals(tokenizer.alphabet())) {
      throw new IllegalArgumentException(
          "the "
              + role
              + " "
              + checkpoint
              + " has a vocabulary of "
              + ar.tokenizer().vocabSize()
              + " characters that differs from the diffusion model's "
              + tokenizer.vocabSize());
    }
    return ar;
  }

  /** A run directory holds its checkpoints in {@code checkpoints/}. */
  static Path resolve(Path p) {
    Path inner = p.resolve("checkpoints");
    return java.nio.file.Files.isDirectory(inner) ? inner : p;
  }
}
