package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.report.DenoisingOrderPlot;
import dev.strata.train.AdamW;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.TrainConfig;
import dev.strata.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masked diffusion (MDLM, LLaDA, LLaDA 2.1, EDLM): the model's parameterisation, its bound, and
 * every sampler.
 */
class MaskedDiffusionTest {
  static final int V = 6;
  static final long[] TARGET = {3, 1, 4, 1, 5, 0, 2, 5};

  /**
   * A denoiser that knows the answer: at every position it gives the target token probability
   * conf[i] and shares the rest equally. With SUBS an unmasked position is a point mass on its own
   * token (no edit can fire).
   */
  record Oracle(long[] target, double[] conf, boolean subs) implements Denoiser {
    @Override
    public int vocab() {
      return V;
    }

    @Override
    public Tensor logProbs(Tensor xt) {
      long[] x = Ops.longs(xt);
      int b = (int) xt.size(0);
      int len = (int) xt.size(1);
      float[] lp = new float[b * len * V];
      for (int r = 0; r < b; r++) {
        for (int i = 0; i < len; i++) {
          long seen = x[r * len + i];
          for (int v = 0; v < V; v++) {
            double p =
                subs && seen != V
                    ? (v == seen ? 1 : 0)
                    : v == target[i] ? conf[i] : (1 - conf[i]) / (V - 1);
            lp[(r * len + i) * V + v] = (float) Math.log(p);
          }
        }
      }
      return Ops.tensor(lp, b, len, V);
    }
  }

  static double[] constant(double c) {
    double[] a = new double[TARGET.length];
    java.util.Arrays.fill(a, c);
    return a;
  }

  /** Distinct confidences, so the order of a confidence-ordered sampler is known. */
  static final double[] VARIED = {0.75, 0.95, 0.8, 0.99, 0.85, 0.9, 0.97, 0.72};

  @Test
  void everySamplerReproducesTheOraclesSequence() {
    Oracle certain = new Oracle(TARGET, constant(1.0), true);
    Oracle confident = new Oracle(TARGET, VARIED, true);
    Oracle editor = new Oracle(TARGET, VARIED, false);
    long[][] start = DiffusionSampler.allMasked(3, TARGET.length, V);
    Ops.seed(1);
    CausalLm ar = new CausalLm(LmConfig.tiny("A", V));
    DiffusionSample[] runs = {
      new AncestralSampler(5).sample(certain, start, new RandomSource(1)),
      new AncestralSampler(8, 0).sample(confident, start, new RandomSource(2)),
      new LowConfidenceSampler(8, 4, 0).sample(confident, start, new RandomSource(3)),
      new EditingSampler(4, 4).sample(editor, start, new RandomSource(4)),
      EdlmSampler.of(5, CandidateEnergy.arResidual(ar), 9)
          .sample(certain, start, new RandomSource(5))
    };
    for (DiffusionSample r : runs) {
      for (long[] row : r.tokens()) assertThat(row).containsExactly(TARGET);
      for (int[] row : r.committedAt()) for (int s : row) assertThat(s).isBetween(0, r.steps() - 1);
      assertThat(r.edits()).isEmpty();
    }
    assertThat(runs[4].arForwards()).isPositive(); // EDLM scored its candidates with the AR model
    assertThat(runs[4].arSequences()).isEqualTo(runs[4].arForwards() * 3 * 4);
    // LLaDA, one token per step: blocks left to right, most confident first within a block
    int[] order = runs[2].committedAt()[0];
    assertThat(order).containsExactly(3, 1, 2, 0, 6, 5, 4, 7);
    assertThat(runs[2].denoiserForwards()).isEqualTo(8);
  }

  @Test
  void editingRepairsAPlantedWrongTokenWhenTheDenoiserIsConfident() {
    long[] start = TARGET.clone();
    start[2] = 0; // planted error, decoded (not fixed): editable
    start[5] = V; // two masks left to fill
    start[6] = V;
    boolean[][] fixed = new boolean[1][TARGET.length];
    Oracle editor = new Oracle(TARGET, constant(0.9), false);
    DiffusionSample r =
        new EditingSampler(2, TARGET.length)
            .sample(editor, new long[][] {start}, fixed, new RandomSource(1));
    assertThat(r.tokens()[0]).containsExactly(TARGET);
    assertThat(r.edits()).containsExactly(new DiffusionSample.Edit(0, 2, 0, 0, 4));
    assertThat(r.committedAt()[0][5]).isZero();
    assertThat(r.editSteps(0)[2]).containsExactly(0);
    // plain remasking never revisits a decoded token; a SUBS denoiser copies it through, so nothing
    // edits
    assertThat(
            new LowConfidenceSampler(2, TARGET.length, 0)
                .sample(editor, new long[][] {start}, fixed, new RandomSource(1))
                .tokens()[0][2])
        .isZero();
    DiffusionSample subs =
        new EditingSampler(2, TARGET.length)
            .sample(
                new Oracle(TARGET, constant(0.9), true),
                new long[][] {start},
                fixed,
                new RandomSource(1));
    assertThat(subs.tokens()[0][2]).isZero();
    assertThat(subs.edits()).isEmpty();
    // an unconfident denoiser (argmax probability 0.4 < τ_edit) leaves the token alone
    DiffusionSample unsure =
        new EditingSampler(2, TARGET.length)
            .sample(
                new Oracle(TARGET, constant(0.4), false),
                new long[][] {start},
                fixed,
                new RandomSource(1));
    assertThat(unsure.tokens()[0][2]).isZero();
  }

  @Test
  void editsReachEarlierBlocksOnlyWhenAllowed() {
    // The denoiser sees the error at position 1 (block 0) only once no mask is left, i.e. while on
    // block 1.
    double[] unsure = constant(0.9);
    unsure[1] = 0.4;
    Oracle early = new Oracle(TARGET, unsure, false);
    Oracle late = new Oracle(TARGET, constant(0.9), false);
    Denoiser hindsight =
        new Denoiser() {
          @Override
          public int vocab() {
            return V;
          }

          @Override
          public Tensor logProbs(Tensor xt) {
            for (long t : Ops.longs(xt)) if (t == V) return early.logProbs(xt);
            return late.logProbs(xt);
          }
        };
    long[] start = TARGET.clone();
    start[1] = 0; // wrong, decoded, editable
    for (int i = 4; i < 8; i++) start[i] = V; // block 1 masked
    boolean[][] open = new boolean[1][TARGET.length];
    DiffusionSample current =
        new EditingSampler(2, 4, 0.7, 0.5, 16, false)
            .sample(hindsight, new long[][] {start}, open, new RandomSource(1));
    DiffusionSample earlier =
        new EditingSampler(2, 4, 0.7, 0.5, 16, true)
            .sample(hindsight, new long[][] {start}, open, new RandomSource(1));
    assertThat(current.tokens()[0][1]).isZero();
    assertThat(current.edits()).isEmpty();
    assertThat(earlier.tokens()[0]).containsExactly(TARGET);
    assertThat(earlier.edits())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.position()).isEqualTo(1);
              assertThat(e.step())
                  .isGreaterThan(earlier.committedAt()[0][7]); // after block 1's masks were filled
            });
  }

  @Test
  void edlmWithAConstantEnergyIsThePlainSamplerUnderTheSameSeed() {
    Ops.seed(7);
    MaskedDiffusionLm model =
        new MaskedDiffusionLm(DiffusionConfig.tiny(V, 12)); // untrained: diffuse distributions
    model.eval();
    long[][] start = DiffusionSampler.allMasked(4, 12, V);
    DiffusionSample plain = new AncestralSampler(6).sample(model, start, new RandomSource(11));
    CandidateEnergy constant = (c, lq) -> new double[c.length];
    DiffusionSample edlm =
        new EdlmSampler(6, 1.0, 4, 0, 1, 1, constant, 99)
            .sample(model, start, new RandomSource(11));
    assertThat(edlm.tokens()).isDeepEqualTo(plain.tokens());
    assertThat(edlm.committedAt()).isDeepEqualTo(plain.committedAt());
    // a non-constant energy does change the samples (the test can fail)
    CandidateEnergy fewZeros =
        (c, lq) -> {
          double[] e = new double[c.length];
          for (int i = 0; i < c.length; i++) for (long t : c[i]) if (t == 0) e[i] += 3;
          return e;
        };
    DiffusionSample guided =
        new EdlmSampler(6, 1.0, 4, 0, 1, 1, fewZeros, 99)
            .sample(model, start, new RandomSource(11));
    assertThat(java.util.Arrays.deepEquals(guided.tokens(), plain.tokens())).isFalse();
    assertThat(count(guided.tokens(), 0)).isLessThan(count(plain.tokens(), 0));
  }

  static int count(long[][] x, long token) {
    int n = 0;
    for (long[] row : x) for (long t : row) if (t == token) n++;
    return n;
  }

  @Test
  void resamplingPicksCandidatesInProportionToExpMinusE() {
    RandomSource rng = new RandomSource(2024);
    double[] e = {0, 1, 2, 0.5};
    int[] hits = new int[e.length];
    int n = 40_000;
    for (int i = 0; i < n; i++) hits[rng.boltzmann(e, 1.0)]++;
    double z = 0;
    for (double v : e) z += Math.exp(-v);
    for (int i = 0; i < e.length; i++)
      assertThat(hits[i] / (double) n)
          .as("candidate %d", i)
          .isCloseTo(Math.exp(-e[i]) / z, within(0.01));
  }

  @Test
  void edlmResamplesByExpMinusEnergyNotPlus() {
    // one position, two tokens, the denoiser 50/50; E(1) = 0, E(0) = ln 3. With k = 2 candidates
    // the resampled
    // token is 1 with probability P(both 1) + P(one each)·¾ = ¼ + ½·¾ = 0.625 (exp(+E) would give
    // 0.375).
    Denoiser coin =
        new Denoiser() {
          @Override
          public int vocab() {
            return 2;
          }

          @Override
          public Tensor logProbs(Tensor xt) {
            return Ops.fullLike(Ops.to(xt, dev.strata.nn.DType.FLOAT32), Math.log(0.5))
                .unsqueeze(-1)
                .expand(xt.size(0), 1, 2)
                .contiguous();
          }
        };
    CandidateEnergy e =
        (c, lq) -> {
          double[] out = new double[c.length];
          for (int i = 0; i < c.length; i++) out[i] = c[i][0] == 1 ? 0 : Math.log(3);
          return out;
        };
    int n = 20_000;
    DiffusionSample r =
        new EdlmSampler(1, 1.0, 2, 0, 1, 1, e, 5)
            .sample(coin, DiffusionSampler.allMasked(n, 1, 2), new RandomSource(3));
    assertThat(count(r.tokens(), 1) / (double) n).isCloseTo(0.625, within(0.012));
    assertThat(r.denoiserForwards())
        .isEqualTo(1); // one batched forward serves all 20,000 rows and both candidates
  }

  @Test
  void subsCopiesUnmaskedTokensAndTheModelIsBidirectional() {
    Ops.seed(3);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      MaskedDiffusionLm m = new MaskedDiffusionLm(DiffusionConfig.tiny(V, 8));
      m.eval();
      long[] x = {V, 2, V, V, 4, V, V, 1};
      float[] lp = Ops.floats(m.logProbs(Ops.tensor(x, 1, 8))); // (1, 8, V)
      for (int i = 0; i < 8; i++) {
        double total = 0;
        for (int v = 0; v < V; v++) total += Math.exp(lp[i * V + v]);
        assertThat(total).isCloseTo(1, within(1e-4));
        if (x[i] != V) assertThat(Math.exp(lp[i * V + (int) x[i]])).isEqualTo(1.0);
      }
      long[] y = x.clone();
      y[7] =
          3; // a change at the last position moves the first position's prediction: no causal mask
      float[] lq = Ops.floats(m.logits(Ops.tensor(y, 1, 8)));
      float[] lx = Ops.floats(m.logits(Ops.tensor(x, 1, 8)));
      assertThat(Math.abs(lq[0] - lx[0])).isGreaterThan(1e-6f);
      MaskedDiffusionLm editing =
          new MaskedDiffusionLm(DiffusionConfig.tiny(V, 8).withEditFraction(0.1));
      editing.eval();
      float[] le = Ops.floats(editing.logProbs(Ops.tensor(x, 1, 8)));
      assertThat(Math.exp(le[V + 2]))
          .isLessThan(0.9); // the editing model predicts decoded positions too
    }
  }

  /**
   * Sequences of length 4 drawn uniformly from the 4 cyclic shifts of 0123: entropy ln 4 per
   * sequence, ln 4 / 4 per token. The NELBO is an upper bound on it and tightens as the model
   * learns.
   */
  @Test
  void nelboBoundsTheEntropyOfAToyDistributionAndTightensWithTraining() {
    int len = 4;
    double entropy = Math.log(4) / len;
    int threads = Ops.threads();
    Ops.setThreads(
        1); // a tiny model: one thread, so a busy machine's thread barriers do not stall every op
    double before;
    double after;
    try {
      Ops.seed(21);
      MaskedDiffusionLm model = new MaskedDiffusionLm(new DiffusionConfig(4, 32, 2, 2, len, 0, 0));
      before = nelbo(model, len);
      try (AdamW opt = new AdamW(ParamGroup.standard(model, 0.0), 5e-3)) {
        new Trainer(
                model,
                opt,
                LrSchedule.warmupCosine(5e-3, 5e-4, 20, 300),
                TrainConfig.of(300).withProgressBar(false),
                step -> model.loss(toy(new SplittableRandom(step), 64, len)))
            .run();
      }
      after = nelbo(model, len);
    } finally {
      Ops.setThreads(threads);
    }
    assertThat(before).isGreaterThan(entropy + 0.5);
    assertThat(after).isLessThan(before - 0.5).isLessThan(entropy + 0.1);
    assertThat(after).as("an upper bound on %s", entropy).isGreaterThan(entropy - 0.02);
  }

  static Tensor toy(SplittableRandom rng, int n, int len) {
    long[] ids = new long[n * len];
    for (int r = 0; r < n; r++) {
      int shift = rng.nextInt(4);
      for (int i = 0; i < len; i++) ids[r * len + i] = (i + shift) % 4;
    }
    return Ops.tensor(ids, n, len);
  }

  static double nelbo(MaskedDiffusionLm model, int len) {
    model.eval();
    Ops.seed(5);
    double sum = 0;
    int batches = 8;
    for (int i = 0; i < batches; i++) {
      try (Scope s = Ops.scope();
          var g = Ops.noGrad()) {
        sum += Ops.item(model.nelbo(toy(new SplittableRandom(1000 + i), 512, len)));
      }
    }
    model.train(true);
    return sum / batches;
  }

  @Test
  void conditionalLossNeverCorruptsThePrompt() {
    Ops.seed(4);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      MaskedDiffusionLm m = new MaskedDiffusionLm(DiffusionConfig.tiny(V, 8).withEditFraction(0.2));
      Tensor x0 = Ops.tensor(new long[] {3, 1, 4, 1, 5, 0, 2, 5, 1, 1, 2, 2, 3, 3, 4, 4}, 2, 8);
      Ops.seed(9);
      double plain = Ops.item(m.loss(x0));
      Ops.seed(9);
      double allMaskable = Ops.item(m.loss(x0, Ops.gt(Ops.onesLike(x0), 0L)));
      assertThat(allMaskable).isCloseTo(plain, within(1e-5));
      Ops.seed(9);
      assertThat(Ops.item(m.loss(x0, Ops.gt(Ops.zerosLike(x0), 0L)))).isZero();
    }
  }

  @Test
  void residualEnergyIsTheArNllPlusTheProposalLogProbability() {
    Ops.seed(6);
    CausalLm ar = new CausalLm(LmConfig.tiny("A", V));
    long[][] x = {{3, 1, 4, 1, 5, 0}, {2, 2, 0, 5, 1, 3}};
    double[] e = CandidateEnergy.arResidual(ar).energies(x, new double[] {-1.5, -0.25});
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      ar.eval();
      for (int r = 0; r < 2; r++) {
        Tensor ids = Ops.tensor(x[r], 1, 6);
        double nll =
            Ops.item(ar.loss(ids.narrow(1, 0, 5), ids.narrow(1, 1, 5)))
                * 5; // mean over 5 predictions
        assertThat(e[r]).isCloseTo(nll + (r == 0 ? -1.5 : -0.25), within(1e-4));
      }
    }
  }

  /**
   * Problem k: prompt (k, SEP), answer (k + i) mod 5 for i = 0…3; tokens 0–4 digits, 5 the
   * separator.
   */
  static final class ShiftCodec implements SequenceCodec<Integer, long[]> {
    @Override
    public int vocab() {
      return V;
    }

    @Override
    public long[] prompt(Integer k) {
      return new long[] {k, 5};
    }

    @Override
    public int answerLength(Integer k) {
      return 4;
    }

    @Override
    public long[] answer(Integer k, long[] candidate) {
      return candidate;
    }

    @Override
    public long[] decode(Integer k, long[] answer) {
      return answer;
    }

    @Override
    public long fixed(Integer k, long[] partial, int t) {
      return partial[t];
    }
  }

  @Test
  void diffusionProposerConditionsOnThePromptAndKeepsWhatAPartialFixes() {
    Denoiser reader = new Denoiser() { // reads k from position 0 and is sure of the answer
          @Override
          public int vocab() {
            return V;
          }

          @Override
          public Tensor logProbs(Tensor xt) {
            long[] x = Ops.longs(xt);
            int b = (int) xt.size(0);
            int len = (int) xt.size(1);
            float[] lp = new float[b * len * V];
            java.util.Arrays.fill(lp, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < b; r++) {
              long k = x[r * len];
              for (int i = 0; i < len; i++) {
                long seen = x[r * len + i];
                long want = seen != V ? seen : (k + i - 2) % 5;
                lp[(r * len + i) * V + (int) want] = 0;
              }
            }
            return Ops.tensor(lp, b, len, V);
          }
        };
    DiffusionProposer<Integer, long[]> proposer =
        new DiffusionProposer<>(reader, new ShiftCodec(), new LowConfidenceSampler(4, 6, 0), 2);
    java.util.List<long[]> xs = proposer.propose(3, 3, new RandomSource(1));
    assertThat(xs).hasSize(3).allSatisfy(x -> assertThat(x).containsExactly(3, 4, 0, 1));
    assertThat(proposer.denoiserForwards()).isEqualTo(8); // two sampler calls (batch 2) of 4 steps
    java.util.List<long[]> ys =
        proposer.complete(1, new long[] {-1, 0, -1, -1}, 2, new RandomSource(1));
    assertThat(ys)
        .allSatisfy(y -> assertThat(y).containsExactly(1, 0, 3, 4)); // the fixed (wrong) 0 is kept
  }

  @Test
  void badSamplerSettingsAreClearErrors() {
    Oracle o = new Oracle(TARGET, constant(1), true);
    long[][] start = DiffusionSampler.allMasked(1, TARGET.length, V);
    assertThatThrownBy(() -> new AncestralSampler(0))
        .hasMessageContaining("steps must be at least 1");
    assertThatThrownBy(
            () -> new LowConfidenceSampler(4, 3, 0).sample(o, start, new RandomSource(1)))
        .hasMessageContaining("block length 3 does not divide the sequence length 8");
    assertThatThrownBy(() -> new EditingSampler(1, 4).sample(o, start, new RandomSource(1)))
        .hasMessageContaining("1 steps cannot cover 2 blocks");
    assertThatThrownBy(() -> EdlmSampler.of(0, (c, l) -> new double[c.length], 1))
        .hasMessageContaining("steps");
  }

  @Test
  void orderPictureIsWritten(@TempDir Path dir) throws Exception {
    Oracle confident = new Oracle(TARGET, VARIED, true);
    DiffusionSample r =
        new LowConfidenceSampler(8, 4, 0)
            .sample(confident, DiffusionSampler.allMasked(1, 8, V), new RandomSource(1));
    Path png = dir.resolve("order.png");
    DenoisingOrderPlot.write(png, "order", r.committedAt()[0], r.editSteps(0), r.steps());
    assertThat(Files.size(png)).isPositive();
    assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isGreaterThan(100);
  }
}
