package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incremental decoding with a KV cache reproduces the full causal forward; causality holds. */
class KvCacheTest {
  private static final long B = 2;
  private static final long T = 12;
  private static final long D = 32;

  @BeforeEach
  void seed() {
    Ops.seed(5);
  }

  /**
   * Runs {@code block} over x in pieces of the given lengths through one cache; returns (B, T, D).
   */
  private static Tensor decodeInPieces(TransformerBlock block, Tensor x, long... pieces) {
    try (KvCache cache = block.newState(B, T)) {
      Tensor[] outs = new Tensor[pieces.length];
      long start = 0;
      long lastBytes = cache.bytes();
      for (int i = 0; i < pieces.length; i++) {
        outs[i] = block.forward(x.narrow(1, start, pieces[i]), cache);
        start += pieces[i];
        assertThat(cache.position()).isEqualTo(start);
        assertThat(cache.bytes()).as("bytes grow with the position").isGreaterThan(lastBytes);
        lastBytes = cache.bytes();
      }
      assertThat(cache.bytes())
          .isEqualTo(2 * B * 4 * T * (D / 4) * 4); // keys + values, float32, full
      return Ops.cat(1, outs);
    }
  }

  private static double maxAbsDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }

  @Test
  void prefillThenStepsAndChunkedPrefillMatchTheFullForward() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      TransformerBlock block = new TransformerBlock(AttentionConfig.causal(D, 4));
      Tensor x = Ops.randn(B, T, D);
      Tensor full = block.forward(x);
      long[] prefillThenSteps = {5, 1, 1, 1, 1, 1, 1, 1};
      assertThat(maxAbsDiff(decodeInPieces(block, x, prefillThenSteps), full))
          .isLessThanOrEqualTo(1e-5);
      assertThat(maxAbsDiff(decodeInPieces(block, x, 5, 7), full)).isLessThanOrEqualTo(1e-5);
      assertThat(maxAbsDiff(decodeInPieces(block, x, 1, 4, 1, 6), full)).isLessThanOrEqualTo(1e-5);

      TransformerBlock noRope =
          new TransformerBlock(AttentionConfig.causal(D, 4).withRope(false).withSwiGlu(48));
      assertThat(maxAbsDiff(decodeInPieces(noRope, x, 3, 1, 8), noRope.forward(x)))
          .isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void changingAFutureTokenLeavesEarlierOutputsUnchanged() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      TransformerBlock block = new TransformerBlock(AttentionConfig.causal(D, 4));
      Tensor x = Ops.randn(B, T, D);
      Tensor changed = x.clone();
      changed.narrow(1, 7, 1).copy_(Ops.randn(B, 1, D));
      Tensor y = block.forward(x);
      Tensor yChanged = block.forward(changed);
      assertThat(maxAbsDiff(y.narrow(1, 0, 7), yChanged.narrow(1, 0, 7))).isEqualTo(0.0);
      assertThat(maxAbsDiff(y.narrow(1, 7, 1), yChanged.narrow(1, 7, 1))).isGreaterThan(1e-3);

      TransformerBlock bidirectional = new TransformerBlock(AttentionConfig.bidirectional(D, 4));
      Tensor early = bidirectional.forward(x).narrow(1, 0, 7);
      assertThat(maxAbsDiff(early, bidirectional.forward(changed).narrow(1, 0, 7)))
          .isGreaterThan(1e-3);
    }
  }

  @Test
  void keyPaddingMaskEqualsRunningTheShorterSequence() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      TransformerBlock encoder =
          new TransformerBlock(AttentionConfig.bidirectional(D, 4).withRope(true));
      Tensor x = Ops.randn(1, 6, D);
      boolean[] firstFour = {true, true, true, true, false, false};
      Tensor padded = encoder.forwardMasked(x, Ops.tensor(firstFour, 1, 1, 1, 6)).narrow(1, 0, 4);
      assertThat(maxAbsDiff(padded, encoder.forward(x.narrow(1, 0, 4)))).isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void cacheRefusesOverflowAndWrongShapesWithClearMessages() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      TransformerBlock block = new TransformerBlock(AttentionConfig.causal(D, 4));
      KvCache cache = block.newState(B, 4);
      assertThat(cache.bytes()).isZero();
      block.forward(Ops.randn(B, 3, D), cache);
      assertThat(cache.allocatedBytes()).isEqualTo(2 * B * 4 * 4 * 8 * 4);
      assertThatThrownBy(() -> block.forward(Ops.randn(B, 2, D), cache))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("KV cache is full")
          .hasMessageContaining("maxLen 4");
      assertThat(cache.position()).isEqualTo(3);
      block.forward(Ops.randn(B, 1, D), cache); // the last free position still fits
      assertThatThrownBy(() -> cache.append(Ops.randn(B, 3, 1, 8), Ops.randn(B, 3, 1, 8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("H=4");
      cache.close();
      assertThatThrownBy(cache::keys).hasMessageContaining("closed");
      assertThat(cache.bytes()).isZero();
    }
  }

  @Test
  void reorderPicksWhichSequencesSurvive() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      KvCache cache = new KvCache(3, 1, 8, 2);
      Tensor k = Ops.arange(DType.FLOAT32, 3 * 2 * 2).view(3, 1, 2, 2);
      cache.append(k, k.neg());
      cache.reorder(Ops.tensor(new long[] {2, 2, 0}, 3));
      assertThat(Ops.floats(cache.keys().select(0, 0))).containsExactly(Ops.floats(k.select(0, 2)));
      assertThat(Ops.floats(cache.values().select(0, 2)))
          .containsExactly(Ops.floats(k.select(0, 0).neg()));
      cache.close();
    }
  }
}
