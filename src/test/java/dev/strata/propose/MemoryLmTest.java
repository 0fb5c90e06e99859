package dev.strata.propose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nn.LayerState;
import dev.strata.nn.MemoryBlock;
import dev.strata.nn.MemoryConfig;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.train.AdamW;
import dev.strata.train.ParamGroup;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Char LMs with test-time memory layers (pattern letter T). */
class MemoryLmTest {
  static final int VOCAB = 13;

  /** 2 heads of 8 channels, chunk 4: an 11-token sequence crosses two chunk boundaries. */
  static final LmConfig.Memory SMALL = new LmConfig.Memory(2, 8, 4, 4, MemoryConfig.Rule.TITANS);

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"T,TITANS", "TTAT,TITANS", "MT,GATED_DELTA"})
  void decodingFromStateMatchesTheFullForward(String pattern, MemoryConfig.Rule rule) {
    Ops.seed(3);
    try (Scope s = Ops.scope();
        var g = Ops.noGrad()) {
      CausalLm lm =
          new CausalLm(
              LmConfig.tiny(pattern, VOCAB)
                  .withMemory(
                      new LmConfig.Memory(
                          SMALL.heads(),
                          SMALL.headDim(),
                          SMALL.chunk(),
                          SMALL.convKernel(),
                          rule)));
      lm.eval();
      long[] ids = {1, 5, 2, 7, 7, 0, 12, 3, 9, 4, 11};
      Tensor full = lm.logits(Ops.tensor(ids, 1, ids.length)); // (1, T, V)
      try (LayerState state = lm.newState(1, ids.length)) {
        int prefill = 5;
        Tensor first = lm.logits(Ops.tensor(Arrays.copyOf(ids, prefill), 1, prefill), state);
        assertThat(maxDiff(first, full.narrow(1, 0, prefill))).isLessThan(1e-4);
        for (int t = prefill; t < ids.length; t++) {
          Tensor step = lm.logits(Ops.tensor(new long[] {ids[t]}, 1, 1), state);
          assertThat(maxDiff(step, full.narrow(1, t, 1))).as("token %d", t).isLessThan(1e-4);
        }
        assertThat(state.position()).isEqualTo(ids.length);
      }
    }
  }

  @Test
  void aMemoryLmTrainsAndGenerates() {
    Ops.seed(4);
    CausalLm lm = new CausalLm(LmConfig.tiny("TT", VOCAB).withMemory(SMALL));
    assertThat(lm.layers.layer(0)).isInstanceOf(MemoryBlock.class);
    // a periodic sequence: the next token is predictable from the last few
    long[] seq = new long[17];
    for (int i = 0; i < seq.length; i++) seq[i] = (i * 5) % 7 + 1;
    Tensor ids = Ops.tensor(Arrays.copyOf(seq, 16), 1, 16),
        targets = Ops.tensor(Arrays.copyOfRange(seq, 1, 17), 1, 16);
    double first, last = Double.NaN;
    try (AdamW opt = new AdamW(ParamGroup.standard(lm, 0.0), 1e-2)) {
      try (Scope s = Ops.scope()) {
        first = Ops.item(lm.loss(ids, targets));
      }
      for (int step = 0; step < 25; step++) {
        try (Scope s = Ops.scope()) {
          opt.zeroGrad();
          Tensor loss = lm.loss(ids, targets);
          loss.backward();
          opt.step();
          last = Ops.item(loss);
        }
      }
    }
    assertThat(last).isFinite().isLessThan(first * 0.5);
    long[] generated =
        lm.generate(new long[] {seq[0], seq[1], seq[2]}, 6, new CausalLm.Sampling(0, 0, 1));
    assertThat(generated).hasSize(6);
    assertThat(Arrays.stream(generated).allMatch(t -> t >= 0 && t < VOCAB)).isTrue();
  }

  @Test
  void theConfigurationCarriesTheMemory() {
    LmConfig c = LmConfig.tiny("TTAT", VOCAB);
    assertThat(c.memory()).isEqualTo(LmConfig.Memory.DEFAULT); // the default when none is given
    MemoryConfig m = CausalLm.memoryConfig(c.withMemory(SMALL));
    assertThat(m.memoryFloats()).isEqualTo(2 * 8 * 8);
    assertThat(m.dModel()).isEqualTo(c.dModel());
    assertThat(c.withMemory(SMALL).withDropout(0.1).memory()).isEqualTo(SMALL);
    assertThatThrownBy(() -> LmConfig.tiny("TXA", VOCAB))
        .hasMessageContaining("TXA")
        .hasMessageContaining("T (test-time memory)");
    assertThatThrownBy(() -> new LmConfig.Memory(2, 8, 0, 4, null)).hasMessageContaining("chunk");
  }

  @Test
  void configurationsSavedBeforeMemoryLayersStillRead() {
    ObjectMapper json = JsonMapper.builder().build();
    LmConfig c = LmConfig.tiny("TA", VOCAB).withMemory(SMALL);
    assertThat(json.readValue(json.writeValueAsString(c), LmConfig.class)).isEqualTo(c);
    String old =
        "{\"arch\":\"test\",\"vocab\":13,\"dModel\":32,\"pattern\":\"MA\",\"heads\":2,\"dState\":8,"
            + "\"headDim\":8,\"expand\":2,\"chunk\":8,\"context\":32,\"dropout\":0.0}";
    assertThat(json.readValue(old, LmConfig.class).memory()).isEqualTo(LmConfig.Memory.DEFAULT);
  }

  private static double maxDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }
}
