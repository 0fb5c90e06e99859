package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Mamba3Test {
  /** 4 heads of 8 channels in 2 groups, state 8 (2 rotation angles), chunk 8. */
  static final Mamba3Config SMALL = new Mamba3Config(16, 8, 8, 2, 2, 8);

  @BeforeEach
  void seed() {
    Ops.seed(7);
  }

  static double maxDiff(Tensor a, Tensor b) {
    return Ops.item(a.sub(b).abs().max());
  }

  @Test
  void parametersAreNamedAndShapedLikeMambaSsm() {
    try (PointerScope s = new PointerScope()) {
      Mamba3Block block = new Mamba3Block(new Mamba3Config(128));
      Map<String, Tensor> state = block.stateDict();
      assertThat(state.keySet())
          .containsExactlyInAnyOrder(
              "norm.weight",
              "mixer.in_proj.weight",
              "mixer.dt_bias",
              "mixer.B_bias",
              "mixer.C_bias",
              "mixer.B_norm.weight",
              "mixer.C_norm.weight",
              "mixer.D",
              "mixer.out_proj.weight");
      // in_proj: 128 → z 256, x 256, B 64, C 64, Δ / dd_A / trap 8 heads each, 16 angles (a quarter
      // of N = 64).
      assertThat(Ops.shape(state.get("mixer.in_proj.weight"))).containsExactly(680, 128);
      assertThat(Ops.shape(state.get("mixer.B_bias"))).containsExactly(8, 1, 64);
      assertThat(Ops.shape(state.get("mixer.out_proj.weight"))).containsExactly(128, 256);
      assertThat(Ops.doubles(block.mixer.bBias)).containsOnly(1.0);
      assertThat(Ops.doubles(block.mixer.d)).containsOnly(1.0);
      Tensor dt = Ops.softplus(block.mixer.dtBias);
      assertThat(Ops.item(dt.min())).isGreaterThanOrEqualTo(0.999e-3);
      assertThat(Ops.item(dt.max())).isLessThanOrEqualTo(1.001e-1);
      assertThat(block.parameterCount())
          .isEqualTo(128 + 680 * 128 + 8 + 2 * 8 * 64 + 2 * 64 + 8 + 256 * 128);

      Mamba3Block reduced = new Mamba3Block(new Mamba3Config(128).mamba2Like());
      assertThat(reduced.stateDict().keySet())
          .containsExactlyInAnyOrder(
              "norm.weight",
              "mixer.in_proj.weight",
              "mixer.dt_bias",
              "mixer.A_log",
              "mixer.D",
              "mixer.out_proj.weight");
      assertThat(Ops.shape(reduced.mixer.inProj.weight))
          .containsExactly(648, 128); // z, x, B, C, Δ: Mamba-2's, no conv
    }
  }

  @Test
  void blockMatchesPyTorchSequentialReference() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba3Block block = new Mamba3Block(SMALL);
      Golden.fill(block, 0.5);
      Tensor x = Golden.det(0.3, 1.0, 2, 13, 16);
      Golden.assertMatches("mamba3.block", block.forward(x), 2e-5);
      try (Mamba3State state = block.newState(2, 13)) {
        Golden.assertMatches("mamba3.block", block.forward(x, state), 2e-5);
        Golden.assertMatches("mamba3.angle", state.angle(), 2e-5);
        Golden.assertMatches("mamba3.state", state.ssm(), 2e-5);
        Golden.assertMatches("mamba3.k", state.k(), 2e-5);
        Golden.assertMatches("mamba3.v", state.v(), 2e-5);
      }
      // The residual branch alone (small next to x with these weights), at a tolerance to match.
      Golden.assertMatches("mamba3.mixer", block.mixer.forward(block.norm.forward(x), null), 2e-7);
    }
  }

  /**
   * The full-sequence (chunked) forward equals one recurrent step per token, and a mix of prefills
   * and steps.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void chunkedFormEqualsTheRecurrentStep(DType dtype) {
    double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba3Block block = new Mamba3Block(SMALL);
      block.to(dtype);
      Tensor x = Ops.randn(dtype, 2, 30, 16);
      Tensor full = block.forward(x);
      try (Mamba3State state = block.newState(2, 30)) {
        List<Tensor> steps = new ArrayList<>();
        for (long t = 0; t < 30; t++) steps.add(block.forward(x.narrow(1, t, 1), state));
        assertThat(maxDiff(Ops.cat(1, steps), full)).as("token by token").isLessThan(tol);
      }
      try (Mamba3State state = block.newState(2, 30)) {
        List<Tensor> pieces = new ArrayList<>();
        pieces.add(block.forward(x.narrow(1, 0, 11), state)); // prefill, T not a multiple of Q
        for (long t = 11; t < 17; t++)
          pieces.add(block.forward(x.narrow(1, t, 1), state)); // recurrent steps
        pieces.add(
            block.forward(x.narrow(1, 17, 2), state)); // a short prefill from a non-zero state
        pieces.add(block.forward(x.narrow(1, 19, 11), state)); // a prefill across a chunk boundary
        assertThat(state.position()).isEqualTo(30);
        assertThat(maxDiff(Ops.cat(1, pieces), full)).as("prefills and steps").isLessThan(tol);
      }
    }
  }

  /** Random scan inputs: v, Δ·A, Δ, λ, k̃, q̃, D, and a carried (h, k̃, v). */
  record ScanInputs(
      Tensor v,
      Tensor logDecay,
      Tensor dt,
      Tensor lambda,
      Tensor k,
      Tensor q,
      Tensor d,
      Tensor h0,
      Tensor k0,
      Tensor v0) {
    static final long B = 2, H = 3, P = 4, N = 5;

    static ScanInputs random(DType dtype, long t) {
      Tensor dt = Ops.softplus(Ops.sub(Ops.randn(dtype, B, t, H), 1));
      return new ScanInputs(
          Ops.randn(dtype, B, t, H, P),
          dt.mul(Ops.to(Ops.uniform(-2.5, -0.2, B, t, H), dtype)),
          dt,
          Ops.sigmoid(Ops.randn(dtype, B, t, H)),
          Ops.mul(Ops.randn(dtype, B, t, H, N), 0.5),
          Ops.mul(Ops.randn(dtype, B, t, H, N), 0.5),
          Ops.randn(dtype, H),
          Ops.randn(dtype, B, H, P, N),
          Ops.randn(dtype, B, H, N),
          Ops.randn(dtype, B, H, P));
    }

    List<Tensor> all() {
      return List.of(v, logDecay, dt, lambda, k, q, d, h0, k0, v0);
    }

    /** Mamba3Scan.step token by token. */
    Mamba3Scan.Output recurrence() {
      Tensor h = h0, kp = k0, vp = v0;
      List<Tensor> ys = new ArrayList<>();
      for (long i = 0; i < v.size(1); i++) {
        Mamba3Scan.Output o =
            Mamba3Scan.step(
                v.select(1, i),
                logDecay.select(1, i),
                dt.select(1, i),
                lambda.select(1, i),
                k.select(1, i),
                q.select(1, i),
                d,
                h,
                kp,
                vp);
        ys.add(o.y());
        h = o.state();
        kp = k.select(1, i);
        vp = v.select(1, i);
      }
      return new Mamba3Scan.Output(Ops.stack(1, ys), h);
    }

    Mamba3Scan.Output chunked(long q) {
      return Mamba3Scan.chunked(v, logDecay, dt, lambda, k, this.q, d, h0, k0, v0, q);
    }
  }

  @Test
  void chunkedScanEqualsTheRecurrenceWithACarriedState() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      for (long[] tq : new long[][] {{1, 4}, {4, 4}, {13, 4}, {21, 8}, {37, 16}}) {
        ScanInputs in = ScanInputs.random(DType.FLOAT64, tq[0]);
        Mamba3Scan.Output chunked = in.chunked(tq[1]), stepped = in.recurrence();
        assertThat(Ops.shape(chunked.y()))
            .containsExactly(ScanInputs.B, tq[0], ScanInputs.H, ScanInputs.P);
        assertThat(maxDiff(chunked.y(), stepped.y()))
            .as("y, T=%d Q=%d", tq[0], tq[1])
            .isLessThan(1e-12);
        assertThat(maxDiff(chunked.state(), stepped.state()))
            .as("h, T=%d Q=%d", tq[0], tq[1])
            .isLessThan(1e-12);
      }
    }
  }

  @Test
  void stepMatchesTheDefinition() {
    try (PointerScope s = new PointerScope()) {
      ScanInputs in = ScanInputs.random(DType.FLOAT64, 1);
      Mamba3Scan.Output o = in.recurrence();
      Tensor alpha = in.logDecay.select(1, 0).exp().unsqueeze(-1).unsqueeze(-1); // (B, H, 1, 1)
      Tensor lam = in.lambda.select(1, 0).unsqueeze(-1).unsqueeze(-1),
          dt = in.dt.select(1, 0).unsqueeze(-1).unsqueeze(-1);
      Tensor prev = in.v0.unsqueeze(-1).mul(in.k0.unsqueeze(-2)); // v_{t−1}·k̃_{t−1}ᵀ
      Tensor now =
          in.v.select(1, 0).unsqueeze(-1).mul(in.k.select(1, 0).unsqueeze(-2)); // v_t·k̃_tᵀ
      Tensor h =
          alpha
              .mul(in.h0)
              .add(Ops.rsub(1, lam).mul(dt).mul(alpha).mul(prev))
              .add(lam.mul(dt).mul(now));
      Tensor y =
          Ops.sum(h.mul(in.q.select(1, 0).unsqueeze(-2)), false, -1)
              .add(in.v.select(1, 0).mul(in.d.view(-1, 1)));
      assertThat(maxDiff(o.state(), h)).isLessThan(1e-14);
      assertThat(maxDiff(o.y().squeeze(1), y)).isLessThan(1e-14);
    }
  }

  @Test
  void scanGradientsMatchFiniteDifferences() {
    try (PointerScope s = new PointerScope()) {
      ScanInputs in = ScanInputs.random(DType.FLOAT64, 11); // 3 chunks of 4, the last one padded
      in.all().forEach(Ops::requireGrad);
      Tensor wy = Ops.randn(DType.FLOAT64, ScanInputs.B, 11, ScanInputs.H, ScanInputs.P);
      Tensor ws = Ops.randn(DType.FLOAT64, ScanInputs.B, ScanInputs.H, ScanInputs.P, ScanInputs.N);
      GradCheck.check(
          () -> {
            Mamba3Scan.Output o = in.chunked(4);
            return GradCheck.weightedSum(o.y(), wy).add(GradCheck.weightedSum(o.state(), ws));
          },
          in.all(),
          10,
          1e-6);
    }
  }

  @Test
  void gradientsOfTheBlockMatchFiniteDifferences() {
    try (PointerScope s = new PointerScope()) {
      Mamba3Block block = new Mamba3Block(new Mamba3Config(8, 4, 4, 2, 2, 4));
      block.to(DType.FLOAT64);
      Tensor x = Ops.requireGrad(Ops.randn(DType.FLOAT64, 2, 7, 8));
      Tensor w = Ops.randn(DType.FLOAT64, 2, 7, 8);
      List<Tensor> leaves = new ArrayList<>(block.parameters());
      leaves.add(x);
      GradCheck.check(() -> GradCheck.weightedSum(block.forward(x), w), leaves, 8, 1e-6);
    }
  }

  /**
   * With λ ≡ 1, θ ≡ 0, no B/C norm or bias and a constant A, the mixer is Mamba-2's recurrence
   * (without its convolution): rebuild that from the mixer's own in_proj with {@link Ssd#step}.
   */
  @Test
  void reducesToTheMamba2Recurrence() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba3Config c = SMALL.mamba2Like();
      Mamba3Mixer mixer = new Mamba3Mixer(c);
      mixer.to(DType.FLOAT64);
      Ops.setData(mixer.d, Ops.randn(DType.FLOAT64, c.nHeads()));
      long batch = 2, t = 19, heads = c.nHeads(), groups = c.nGroups(), n = c.dState();
      Tensor u = Ops.randn(DType.FLOAT64, batch, t, c.dModel());

      Tensor[] parts =
          Ops.split(
              mixer.inProj.forward(u), -1, c.dInner(), c.dInner(), groups * n, groups * n, heads);
      Tensor x = parts[1].view(batch, t, heads, c.headDim());
      Tensor b = parts[2].view(batch, t, groups, n), cc = parts[3].view(batch, t, groups, n);
      Tensor dt = Ops.softplus(parts[4].add(mixer.dtBias));
      Tensor a = mixer.aLog.exp().neg();
      Tensor h = Ops.zeros(DType.FLOAT64, batch, heads, c.headDim(), n);
      List<Tensor> ys = new ArrayList<>();
      for (long i = 0; i < t; i++) {
        Ssd.Output o =
            Ssd.step(
                x.select(1, i), dt.select(1, i), a, b.select(1, i), cc.select(1, i), mixer.d, h);
        ys.add(o.y());
        h = o.state();
      }
      Tensor y = Ops.stack(1, ys).reshape(batch, t, c.dInner()).mul(Ops.silu(parts[0]));
      Tensor expected = mixer.outProj.forward(y);

      assertThat(maxDiff(mixer.forward(u, null), expected)).isLessThan(1e-12);
      try (Mamba3State state = mixer.newState(batch)) {
        mixer.forward(u.narrow(1, 0, 10), state);
        for (long i = 10; i < t; i++) mixer.forward(u.narrow(1, i, 1), state);
        assertThat(maxDiff(state.ssm(), h))
            .as("the decode state is Mamba-2's SSM state")
            .isLessThan(1e-12);
      }
      // Each addition on its own changes the output.
      for (Mamba3Config one :
          List.of(
              new Mamba3Config(16, 8, 8, 2, 2, 8, true, false, false, false, false),
              new Mamba3Config(16, 8, 8, 2, 2, 8, false, true, false, false, false))) {
        Ops.seed(7);
        Mamba3Mixer other = new Mamba3Mixer(one);
        other.to(DType.FLOAT64);
        for (var e : mixer.namedParameters().entrySet()) {
          Tensor mine = other.namedParameters().get(e.getKey());
          if (mine != null && Ops.shape(mine).length > 1) {
            mine.narrow(0, 0, e.getValue().size(0))
                .copy_(e.getValue()); // in_proj's first rows, out_proj
          } else if (mine != null) {
            mine.copy_(e.getValue());
          }
        }
        assertThat(maxDiff(other.forward(u, null), expected)).as("%s", one).isGreaterThan(1e-4);
      }
    }
  }

  @Test
  void outputsDoNotDependOnFutureInputs() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba3Block block = new Mamba3Block(SMALL);
      Tensor x = Ops.randn(2, 20, 16);
      Tensor changed = x.clone();
      changed.narrow(1, 12, 1).copy_(Ops.randn(2, 1, 16));
      Tensor before = block.forward(x), after = block.forward(changed);
      assertThat(maxDiff(before.narrow(1, 0, 12), after.narrow(1, 0, 12))).isLessThan(1e-6);
      assertThat(maxDiff(before.narrow(1, 12, 8), after.narrow(1, 12, 8))).isGreaterThan(1e-3);
    }
  }

  @Test
  void decodeStateHasConstantSizeAndIsAccountedFor() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Mamba3Block block = new Mamba3Block(SMALL);
      // H·P·N = 4·8·8; the decode state adds θ (4·2), k̃ (4·8) and v (4·8).
      assertThat(SMALL.ssmStateSize()).isEqualTo(256);
      assertThat(SMALL.decodeStateSize()).isEqualTo(256 + 8 + 32 + 32);
      Mamba2Config m2 = new Mamba2Config(16, 8, 8, 2, 2, 4, 8);
      assertThat(m2.ssmStateSize()).isEqualTo(256);
      assertThat(m2.decodeStateSize()).isEqualTo(256 + m2.convDim() * 3);
      try (Mamba3State state = block.newState(3, 1000)) {
        long expected = 4L * 3 * SMALL.decodeStateSize();
        assertThat(state.bytes()).isEqualTo(expected);
        block.forward(Ops.randn(3, 20, 16), state);
        for (int i = 0; i < 10; i++) {
          block.forward(Ops.randn(3, 1, 16), state);
          assertThat(state.bytes()).isEqualTo(expected);
        }
        assertThat(state.position()).isEqualTo(30);
        double[] angles = Ops.doubles(state.angle());
        for (double a : angles) assertThat(a).isBetween(0.0, 2 * Math.PI); // θ is kept mod 2π
      }
    }
  }

  @Test
  void heavyTailIsContinuousAndKeepsADecaying() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Tensor x = Ops.tensor(new double[] {-1e6, -3, -1e-9, 0, 1e-9, 2}, 6);
      assertThat(Ops.doubles(Mamba3Mixer.heavyTail(x)))
          .containsExactly(
              new double[] {1 / (1 + 1e6), 0.25, 1 / (1 + 1e-9), 1, 1 + 1e-9, 3},
              org.assertj.core.data.Offset.offset(1e-12));
      // A_t = −heavy_tail(dd_A) is clamped at −1e−4: even a huge negative dd_A leaves a little
      // decay.
      // With v = 0 (x rows of in_proj zero) and h_0 = 1, one step gives h_1 = α = exp(−Δ·1e−4).
      Mamba3Block block = new Mamba3Block(SMALL);
      Ops.fillInPlace(block.mixer.inProj.weight, 0);
      Ops.fillInPlace(
          block.mixer.inProj.weight.narrow(0, 2 * 32 + 2 * 2 * 8 + 4, 4), -1e7); // the dd_A rows
      try (Mamba3State state = block.newState(1, 2)) {
        Ops.fillInPlace(state.ssm(), 1);
        block.forward(Ops.ones(1, 1, 16), state);
        Tensor alpha =
            Ops.mul(Ops.softplus(block.mixer.dtBias), -Mamba3Config.A_FLOOR).exp().view(1, 4, 1, 1);
        assertThat(maxDiff(state.ssm(), alpha.expand(1, 4, 8, 8))).isLessThan(1e-7);
        assertThat(Ops.item(state.ssm().max())).isLessThan(1.0);
      }
    }
  }

  @Test
  void rotationTurnsPairsLikeComplexMultiplication() {
    try (PointerScope s = new PointerScope();
        var g = Ops.noGrad()) {
      Tensor x = Ops.tensor(new double[] {1, 2, 3, 4, 5, 6}, 1, 6);
      Tensor theta = Ops.tensor(new double[] {0.3, -1.1}, 1, 2);
      double[] r = Ops.doubles(Mamba3Mixer.rotate(x, theta.cos(), theta.sin()));
      // (1 + 2i)·e^{0.3i}, (3 + 4i)·e^{−1.1i}, and 5, 6 unrotated
      double c0 = Math.cos(0.3), s0 = Math.sin(0.3), c1 = Math.cos(-1.1), s1 = Math.sin(-1.1);
      assertThat(r)
          .containsExactly(
              new double[] {c0 - 2 * s0, s0 + 2 * c0, 3 * c1 - 4 * s1, 3 * s1 + 4 * c1, 5, 6},
              org.assertj.core.data.Offset.offset(1e-14));
    }
  }

  @Test
  void rejectsAForeignStateAndBadConfigs() {
    try (PointerScope s = new PointerScope()) {
      Mamba3Block block = new Mamba3Block(SMALL);
      assertThatThrownBy(() -> block.forward(Ops.randn(1, 1, 16), null))
          .hasMessageContaining("Mamba3State");
      assertThatThrownBy(() -> new Mamba3Config(16, 8, 12, 2, 1, 8))
          .hasMessageContaining("headDim");
      assertThatThrownBy(() -> new Mamba3Config(16, 6, 8, 2, 3, 8)).hasMessageContaining("groups");
      assertThatThrownBy(() -> new Mamba3Config(16, 2, 8, 2, 1, 8))
          .hasMessageContaining("even dState ≥ 4");
      assertThat(new Mamba3Config(16, 2, 8, 2, 1, 8, true, false, true, true, true).rotaryAngles())
          .isZero();
    }
  }
}
