package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The memory update of {@link MemoryScan} against the equations written out token by token. */
class MemoryScanTest {
  static final long B = 2, T = 11, H = 3, P = 4;

  @BeforeEach
  void seed() {
    Ops.seed(7);
  }

  /**
   * Random float64 inputs: unit-norm q and k, gates η ∈ (0.1, 0.9), θ ∈ (0.05, 0.45), α ∈ (0.01,
   * 0.3).
   */
  record Inputs(Tensor q, Tensor k, Tensor v, Tensor eta, Tensor theta, Tensor alpha) {
    static Inputs random(long t) {
      return new Inputs(
          Ops.l2Normalize(Ops.randn(DType.FLOAT64, B, t, H, P), 0),
          Ops.l2Normalize(Ops.randn(DType.FLOAT64, B, t, H, P), 0),
          Ops.randn(DType.FLOAT64, B, t, H, P),
          uniform(0.1, 0.9, t),
          uniform(0.05, 0.45, t),
          uniform(0.01, 0.3, t));
    }

    static Tensor uniform(double lo, double hi, long t) {
      return Ops.add(Ops.mul(Ops.to(Ops.rand(B, t, H), DType.FLOAT64), hi - lo), lo);
    }

    Tensor logEta(boolean momentum) {
      return momentum ? eta.log() : null;
    }

    Tensor logDecay() {
      return Ops.rsub(1, alpha).log();
    }

    MemoryScan.Output chunked(boolean momentum, long chunk, boolean decayed) {
      return MemoryScan.chunked(
          q, k, v, logEta(momentum), theta, logDecay(), null, 0, chunk, decayed);
    }
  }

  static double maxDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }

  /**
   * The spec, one token at a time: at each chunk start M_ref ← M; ∇ℓ = 2(M_ref·k − v)·kᵀ (with
   * {@code decayed}, at Π(1−α)·M_ref over the chunk so far); S ← η·S − θ·∇ℓ; M ← (1−α)·M + S; y =
   * M·q. η = 0 when {@code momentum} is off.
   */
  static Tensor naive(Inputs in, boolean momentum, long chunk, boolean decayed) {
    Tensor m = Ops.zeros(DType.FLOAT64, B, H, P, P), s = m, ref = m, sinceStart = null;
    List<Tensor> ys = new ArrayList<>();
    for (long t = 0; t < in.q().size(1); t++) {
      Tensor q = in.q().select(1, t), k = in.k().select(1, t), v = in.v().select(1, t); // (B, H, P)
      Tensor keep = Ops.rsub(1, in.alpha().select(1, t)).view(B, H, 1, 1); // 1 − α
      if (t % chunk == 0) {
        ref = m;
        sinceStart = Ops.onesLike(keep);
      }
      sinceStart = sinceStart.mul(keep);
      Tensor at = decayed ? ref.mul(sinceStart) : ref;
      Tensor grad =
          Ops.mul(
              at.matmul(k.unsqueeze(-1)).sub(v.unsqueeze(-1)).matmul(k.unsqueeze(-2)),
              2); // (B, H, P, P)
      Tensor step = grad.mul(in.theta().select(1, t).view(B, H, 1, 1));
      s = momentum ? s.mul(in.eta().select(1, t).view(B, H, 1, 1)).sub(step) : step.neg();
      m = m.mul(keep).add(s);
      ys.add(m.matmul(q.unsqueeze(-1)).squeeze(-1));
    }
    return Ops.stack(1, ys); // (B, T, H, P)
  }

  @ParameterizedTest(name = "momentum {0}, chunk {1}, decayed gradient {2}, {3} tokens")
  @CsvSource({
    "true,1,false,11",
    "true,3,false,11",
    "true,4,false,11",
    "true,4,false,12",
    "true,16,false,11",
    "false,3,false,11",
    "true,3,true,11",
    "true,3,true,12",
    "false,1,true,11",
    "false,4,true,11"
  })
  void chunkedFormIsTheTokenByTokenDefinition(
      boolean momentum, long chunk, boolean decayed, long t) {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(t);
      Tensor y = in.chunked(momentum, chunk, decayed).y();
      assertThat(Ops.shape(y)).containsExactly(B, t, H, P);
      assertThat(maxDiff(y, naive(in, momentum, chunk, decayed))).isLessThan(1e-12);
    }
  }

  @ParameterizedTest(name = "momentum {0}, chunk {1}, decayed gradient {2}")
  @CsvSource({
    "true,1,false",
    "true,3,false",
    "true,4,false",
    "true,16,false",
    "false,5,false",
    "true,4,true",
    "false,3,true"
  })
  void stepsAndPrefillsFromAStateEqualTheChunkedForward(
      boolean momentum, long chunk, boolean decayed) {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(T);
      MemoryScan.Output full = in.chunked(momentum, chunk, decayed);
      Tensor logEta = in.logEta(momentum), logDecay = in.logDecay();
      // a prefill of 5 tokens (not a multiple of the chunk), 3 single steps, then a prefill of 3
      // from mid-chunk
      MemoryScan.Output first =
          MemoryScan.chunked(
              in.q().narrow(1, 0, 5),
              in.k().narrow(1, 0, 5),
              in.v().narrow(1, 0, 5),
              logEta == null ? null : logEta.narrow(1, 0, 5),
              in.theta().narrow(1, 0, 5),
              logDecay.narrow(1, 0, 5),
              null,
              0,
              chunk,
              decayed);
      List<Tensor> ys = new ArrayList<>(List.of(first.y()));
      MemoryScan.State state = first.state();
      for (long t = 5; t < 8; t++) {
        MemoryScan.Output out =
            MemoryScan.step(
                in.q().select(1, t),
                in.k().select(1, t),
                in.v().select(1, t),
                logEta == null ? null : logEta.select(1, t),
                in.theta().select(1, t),
                logDecay.select(1, t),
                state,
                t % chunk,
                chunk,
                decayed);
        ys.add(out.y().unsqueeze(1));
        state = out.state();
      }
      MemoryScan.Output last =
          MemoryScan.chunked(
              in.q().narrow(1, 8, 3),
              in.k().narrow(1, 8, 3),
              in.v().narrow(1, 8, 3),
              logEta == null ? null : logEta.narrow(1, 8, 3),
              in.theta().narrow(1, 8, 3),
              logDecay.narrow(1, 8, 3),
              state,
              8 % chunk,
              chunk,
              decayed);
      ys.add(last.y());
      assertThat(maxDiff(Ops.cat(1, ys), full.y())).isLessThan(1e-12);
      assertThat(maxDiff(last.state().memory(), full.state().memory())).isLessThan(1e-12);
      assertThat(maxDiff(last.state().surprise(), full.state().surprise())).isLessThan(1e-12);
      assertThat(maxDiff(last.state().reference(), full.state().reference())).isLessThan(1e-12);
    }
  }

  @Test
  void theChunkLengthIsPartOfTheModel() {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(T);
      Tensor one = in.chunked(true, 1, false).y(), four = in.chunked(true, 4, false).y();
      // the first token of a sequence sees the same (empty) memory; later tokens do not
      assertThat(maxDiff(one.narrow(1, 0, 1), four.narrow(1, 0, 1))).isLessThan(1e-12);
      assertThat(maxDiff(one, four)).isGreaterThan(1e-3);
    }
  }

  @Test
  void aWriteReducesTheLossOnTheWrittenPair() {
    try (PointerScope s = new PointerScope()) {
      Tensor m = Ops.randn(DType.FLOAT64, 1, 1, P, P);
      Tensor k = Ops.l2Normalize(Ops.randn(DType.FLOAT64, 1, 1, P), 0),
          v = Ops.randn(DType.FLOAT64, 1, 1, P);
      double theta = 0.3;
      // η = 0 (no momentum), α = 0 (log(1−α) = 0): one plain gradient step on ‖M·k − v‖².
      MemoryScan.Output out =
          MemoryScan.step(
              k,
              k,
              v,
              null,
              Ops.full(DType.FLOAT64, theta, 1, 1),
              Ops.zeros(DType.FLOAT64, 1, 1),
              new MemoryScan.State(m, Ops.zerosLike(m), m),
              0,
              1,
              false);
      double before = residual(m, k, v), after = residual(out.state().memory(), k, v);
      assertThat(after).isLessThan(before);
      // with ‖k‖ = 1 the residual shrinks by exactly |1 − 2θ|
      assertThat(after).isCloseTo(Math.abs(1 - 2 * theta) * before, offset(1e-12));
      // and the read at k is the new memory's prediction M'·k
      assertThat(maxDiff(out.y(), out.state().memory().matmul(k.unsqueeze(-1)).squeeze(-1)))
          .isLessThan(1e-12);
    }
  }

  private static double residual(Tensor m, Tensor k, Tensor v) {
    return Ops.item(m.matmul(k.unsqueeze(-1)).squeeze(-1).sub(v).norm());
  }

  /**
   * Gated DeltaNet (Yang et al. 2024): S_t = a_t·S_{t−1}(I − β_t·k_t·k_tᵀ) + β_t·v_t·k_tᵀ, o_t =
   * S_t·q_t.
   */
  static Tensor gatedDeltaNet(Tensor q, Tensor k, Tensor v, Tensor a, Tensor beta) {
    long b = q.size(0), t = q.size(1), h = q.size(2), dk = q.size(3), dv = v.size(3);
    Tensor state = Ops.zeros(Ops.dtype(q), b, h, dv, dk);
    Tensor eye = Ops.eye(Ops.dtype(q), dk);
    List<Tensor> out = new ArrayList<>();
    for (long i = 0; i < t; i++) {
      Tensor kt = k.select(1, i).unsqueeze(-1), vt = v.select(1, i).unsqueeze(-1); // (B, H, P, 1)
      Tensor bt = beta.select(1, i).view(b, h, 1, 1), at = a.select(1, i).view(b, h, 1, 1);
      Tensor erase = eye.sub(kt.matmul(kt.transpose(-1, -2)).mul(bt)); // I − β·k·kᵀ
      state = state.matmul(erase).mul(at).add(vt.matmul(kt.transpose(-1, -2)).mul(bt));
      out.add(state.matmul(q.select(1, i).unsqueeze(-1)).squeeze(-1));
    }
    return Ops.stack(1, out);
  }

  @Test
  void withoutMomentumAndTheGradientAtTheDecayedMemoryItIsGatedDeltaNet() {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(T);
      Tensor y = in.chunked(false, 1, true).y();
      // β = 2θ: the squared loss contributes the 2 of ∇‖M·k − v‖² = 2(M·k − v)·kᵀ
      Tensor expected =
          gatedDeltaNet(in.q(), in.k(), in.v(), Ops.rsub(1, in.alpha()), Ops.mul(in.theta(), 2));
      assertThat(maxDiff(y, expected)).isLessThan(1e-12);
      // Titans' gradient (at the undecayed memory) is a different model
      assertThat(maxDiff(in.chunked(false, 1, false).y(), expected)).isGreaterThan(1e-4);
    }
  }

  @ParameterizedTest(name = "momentum {0}, decayed gradient {1}")
  @CsvSource({"true,false", "false,true"})
  void gradientsMatchFiniteDifferences(boolean momentum, boolean decayed) {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(7);
      Tensor q = Ops.requireGrad(in.q()), k = Ops.requireGrad(in.k()), v = Ops.requireGrad(in.v());
      Tensor logEta = Ops.requireGrad(in.eta().log()), theta = Ops.requireGrad(in.theta().clone());
      Tensor logDecay = Ops.requireGrad(in.logDecay());
      Tensor w = Ops.randn(DType.FLOAT64, B, 7, H, P);
      List<Tensor> leaves = new ArrayList<>(List.of(q, k, v, theta, logDecay));
      if (momentum) leaves.add(logEta);
      GradCheck.check(
          () -> {
            MemoryScan.Output out =
                MemoryScan.chunked(
                    q, k, v, momentum ? logEta : null, theta, logDecay, null, 0, 3, decayed);
            // the read and the final memory, so gradients through the state are checked too
            return GradCheck.weightedSum(out.y(), w).add(out.state().memory().sum());
          },
          leaves,
          12,
          1e-6);
    }
  }

  @Test
  void rejectsOffsetsOutsideTheChunk() {
    try (PointerScope s = new PointerScope()) {
      Inputs in = Inputs.random(3);
      assertThatThrownBy(
              () ->
                  MemoryScan.chunked(
                      in.q(), in.k(), in.v(), null, in.theta(), in.logDecay(), null, 4, 4, false))
          .hasMessageContaining("offset 4");
      assertThatThrownBy(
              () ->
                  MemoryScan.chunked(
                      in.q(), in.k(), in.v(), null, in.theta(), in.logDecay(), null, 0, 0, false))
          .hasMessageContaining("chunk must be positive");
    }
  }
}
