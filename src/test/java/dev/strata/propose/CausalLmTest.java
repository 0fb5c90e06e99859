package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.LayerState;
import dev.strata.nn.Mamba2Block;
import dev.strata.nn.Mamba3Block;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.nn.TransformerBlock;
import dev.strata.train.AdamW;
import dev.strata.train.ParamGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CausalLmTest {
  static final int VOCAB = 13;

  @ParameterizedTest
  @ValueSource(strings = {"A", "M", "MAM", "S", "SS", "SSAS", "MSA"})
  void decodingFromStateMatchesTheFullForward(String pattern) {
    Ops.seed(3);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      CausalLm lm = new CausalLm(LmConfig.tiny(pattern, VOCAB));
      lm.eval();
      long[] ids = {1, 5, 2, 7, 7, 0, 12, 3, 9, 4, 11};
      Tensor full = lm.logits(Ops.tensor(ids, 1, ids.length)); // (1, T, V)
      try (LayerState state = lm.newState(1, ids.length)) {
        int prefill = 5;
        Tensor first =
            lm.logits(Ops.tensor(java.util.Arrays.copyOf(ids, prefill), 1, prefill), state);
        assertClose(first, full.narrow(1, 0, prefill));
        for (int t = prefill; t < ids.length; t++) {
          Tensor step = lm.logits(Ops.tensor(new long[] {ids[t]}, 1, 1), state);
          assertClose(step, full.narrow(1, t, 1));
        }
        assertThat(state.position()).isEqualTo(ids.length);
      }
    }
  }

  @Test
  void greedyGenerationEqualsArgmaxOverRecomputedPrefixes() {
    Ops.seed(4);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      CausalLm lm = new CausalLm(LmConfig.tiny("MA", VOCAB));
      long[] prompt = {3, 1, 4};
      long[] generated = lm.generate(prompt, 6, new CausalLm.Sampling(0, 0, 1));
      long[] seq = java.util.Arrays.copyOf(prompt, prompt.length + generated.length);
      lm.eval();
      for (int i = 0; i < generated.length; i++) {
        int len = prompt.length + i;
        Tensor logits = lm.logits(Ops.tensor(java.util.Arrays.copyOf(seq, len), 1, len));
        long expected = Ops.argmax(logits.select(1, len - 1), -1).item_long();
        assertThat(generated[i]).as("token %d", i).isEqualTo(expected);
        seq[len] = generated[i];
      }
    }
  }

  @Test
  void batchedGenerationDecodesEveryRowAsTheSingleSequenceDecoderDoes() {
    Ops.seed(6);
    try (Scope s = Ops.scope()) {
      CausalLm lm = new CausalLm(LmConfig.tiny("MA", VOCAB));
      long[] prompt = {3, 1, 4};
      long[] greedy = lm.generate(prompt, 7, new CausalLm.Sampling(0, 0, 1));
      long[][] rows = lm.generate(prompt, 3, 7, new CausalLm.Sampling(0, 0, 1));
      for (long[] row : rows) assertThat(row).containsExactly(greedy);
      long[][] drawn =
          lm.generate(
              prompt,
              16,
              7,
              new CausalLm.Sampling(1.0, 0, 2)); // random init: diffuse distributions
      assertThat(java.util.Arrays.stream(drawn).map(java.util.Arrays::toString).distinct().count())
          .isGreaterThan(1);
      assertThat(lm.generate(prompt, 16, 7, new CausalLm.Sampling(1.0, 0, 2))).isDeepEqualTo(drawn);
      long[][] top1 = lm.generate(prompt, 4, 7, new CausalLm.Sampling(1.0, 1, 3));
      for (long[] row : top1) assertThat(row).containsExactly(greedy);
    }
  }

  @Test
  void samplingIsReproducibleForASeedAndRespectsTopK() {
    Ops.seed(5);
    try (Scope s = Ops.scope()) {
      CausalLm lm = new CausalLm(LmConfig.tiny("A", VOCAB));
      var sampling = new CausalLm.Sampling(1.0, 1, 9); // top-1 sampling is greedy
      long[] a = lm.generate(new long[] {2}, 8, sampling);
      long[] greedy = lm.generate(new long[] {2}, 8, new CausalLm.Sampling(0, 0, 9));
      assertThat(a).containsExactly(greedy);
      long[] r1 = lm.generate(new long[] {2}, 8, new CausalLm.Sampling(1.0, 0, 11));
      long[] r2 = lm.generate(new long[] {2}, 8, new CausalLm.Sampling(1.0, 0, 11));
      assertThat(r1).containsExactly(r2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "M", "S"})
  void dropoutActsOnlyWhileTraining(String pattern) {
    Ops.seed(6);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      CausalLm plain = new CausalLm(LmConfig.tiny(pattern, VOCAB));
      CausalLm dropped = new CausalLm(LmConfig.tiny(pattern, VOCAB).withDropout(0.5));
      dropped.loadStateDict(plain.stateDict());
      Tensor ids = Ops.tensor(new long[] {1, 2, 3, 4, 5, 6}, 1, 6);
      // training: two passes draw different masks, and differ from the model without dropout
      Tensor a = dropped.logits(ids), b = dropped.logits(ids);
      assertThat(Ops.floats(a)).isNotEqualTo(Ops.floats(b));
      assertThat(Ops.floats(a)).isNotEqualTo(Ops.floats(plain.logits(ids)));
      // evaluation: dropout is the identity
      dropped.eval();
      plain.eval();
      assertClose(dropped.logits(ids), plain.logits(ids));
    }
    assertThatThrownBy(() -> LmConfig.tiny("A", VOCAB).withDropout(1.0))
        .hasMessageContaining("dropout");
  }

  @Test
  void badConfigurationsAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> LmConfig.tiny("MXA", VOCAB))
        .hasMessageContaining("MXA")
        .hasMessageContaining("A (attention)")
        .hasMessageContaining("S (Mamba-3)");
    assertThatThrownBy(() -> LmConfig.cpu("rnn", VOCAB))
        .hasMessageContaining("unknown architecture 'rnn'");
  }

  /**
   * S layers are Mamba-3 blocks with the config's SSM sizes; M and S report the same H·P·N state.
   */
  @Test
  void mamba3LayersAreBuiltFromTheSsmSizes() {
    try (Scope s = Ops.scope()) {
      LmConfig c = LmConfig.tiny("SAM", VOCAB); // width 32, N 8, P 8, expand 2: 8 heads
      CausalLm lm = new CausalLm(c);
      assertThat(lm.layers.layer(0)).isInstanceOf(Mamba3Block.class);
      assertThat(lm.layers.layer(1)).isInstanceOf(TransformerBlock.class);
      assertThat(lm.layers.layer(2)).isInstanceOf(Mamba2Block.class);
      assertThat(lm.namedParameters())
          .containsKeys("layers.0.mixer.B_bias", "layers.0.mixer.in_proj.weight", "norm.weight");
      assertThat(c.ssmStateSize()).isEqualTo(8L * 8 * 8);
      assertThat(c.mamba3Config().ssmStateSize()).isEqualTo(c.ssmStateSize());
      assertThat(c.mamba2Config().ssmStateSize()).isEqualTo(c.ssmStateSize());
      assertThat(LmConfig.tiny("AA", VOCAB).ssmStateSize()).isZero();
      assertThat(c.hasMamba3()).isTrue();
      assertThat(LmConfig.tiny("MA", VOCAB).hasSsm()).isTrue();
      assertThat(LmConfig.tiny("MA", VOCAB).hasMamba3()).isFalse();
      assertThat(new CausalLm(LmConfig.cpu("mamba3", 65)).parameterCount())
          .isBetween(840_000L, 880_000L);
      // The per-head B/C biases are 3-d but biases: no weight decay.
      var groups = ParamGroup.standard(lm, 0.1);
      assertThat(groups.get(1).params())
          .containsKeys("layers.0.mixer.B_bias", "layers.0.mixer.C_bias", "layers.0.mixer.dt_bias");
      assertThat(groups.get(0).params()).containsKey("layers.0.mixer.in_proj.weight");
    }
  }

  /**
   * A tiny Mamba-3 and a Mamba-3/attention hybrid LM learn a fixed batch: AdamW lowers the loss.
   */
  @ParameterizedTest
  @ValueSource(strings = {"SS", "SSAS"})
  void mamba3LanguageModelsTrain(String pattern) {
    Ops.seed(8);
    try (Scope s = Ops.scope()) {
      CausalLm lm = new CausalLm(LmConfig.tiny(pattern, VOCAB));
      long[] seq = new long[17];
      for (int i = 0; i < seq.length; i++) seq[i] = (i * 5 + 3) % VOCAB;
      Tensor all = Ops.tensor(seq, 1, seq.length);
      Tensor ids = all.narrow(1, 0, 16), targets = all.narrow(1, 1, 16);
      double first = Double.NaN, last = Double.NaN;
      try (AdamW opt = new AdamW(ParamGroup.standard(lm, 0.0), 1e-2)) {
        for (int step = 0; step < 25; step++) {
          try (Scope inner = Ops.scope()) {
            opt.zeroGrad();
            Tensor loss = lm.loss(ids, targets);
            loss.backward();
            opt.step();
            if (step == 0) first = Ops.item(loss);
            last = Ops.item(loss);
          }
        }
      }
      assertThat(first).isCloseTo(Math.log(VOCAB), within(0.3)); // untrained: about uniform
      assertThat(last).as("loss after 25 steps").isLessThan(0.5 * first);
    }
  }

  private static void assertClose(Tensor a, Tensor b) {
    float[] x = Ops.floats(a);
    float[] y = Ops.floats(b);
    assertThat(x.length).isEqualTo(y.length);
    double max = 0;
    for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
    assertThat(max).isLessThan(1e-4);
  }
}
