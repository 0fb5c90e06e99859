package dev.strata.nn;

import static dev.strata.nn.Ops.cat;
import static dev.strata.nn.Ops.clampMax;
import static dev.strata.nn.Ops.clampMin;
import static dev.strata.nn.Ops.mul;
import static dev.strata.nn.Ops.remainder;
import static dev.strata.nn.Ops.rsub;
import static dev.strata.nn.Ops.sigmoid;
import static dev.strata.nn.Ops.silu;
import static dev.strata.nn.Ops.softplus;
import static dev.strata.nn.Ops.split;
import static dev.strata.nn.Ops.stack;

/**
 * The Mamba-3 SISO mixer (Lahoti et al. 2026, arXiv:2603.15569): one input projection to [z, x, B,
 * C, Δ, dd_A, trap, angles]; no convolution; then, per token and head,
 *
 * <pre>
 *   Δ_t = softplus(dd_Δ + dt_bias),   A_t = −heavy_tail(dd_A_t) ≤ −1e−4,   λ_t = σ(trap_t)
 *   θ_t = θ_{t−1} + Δ_t·π·tanh(angle_t)          (data-dependent rotary on half of the state)
 *   k̃_t = R(θ_t)·(RMSNorm(B_t) + B_bias),   q̃_t = R(θ_t)·(RMSNorm(C_t) + C_bias)
 * </pre>
 *
 * the trapezoidal scan of {@link Mamba3Scan} over v = x, and {@code out_proj(y·SiLU(z))}. The
 * rotation R(θ) turns the pairs (k̃[2i], k̃[2i+1]) for i &lt; S by θ[i] (the complex-valued state
 * of the paper, written as RoPE on B and C) and leaves the other dims alone. Parameter names and
 * the in_proj layout follow {@code mamba_ssm.modules.mamba3.Mamba3} (SISO, {@code
 * rope_fraction=0.5}, {@code is_outproj_norm=False}), so state dicts interchange when every part of
 * the config is on.
 */
public final class Mamba3Mixer extends Module implements RecurrentMixer<Mamba3State> {
  public final Mamba3Config config;
  public final Linear inProj; // d → [z, x, B, C, Δ, dd_A?, trap?, angles?]
  public final Tensor dtBias; // (H) softplus⁻¹ of the initial Δ
  public final Tensor aLog; // (H) A = −exp(A_log), only without a data-dependent A
  public final Tensor bBias; // (H, 1, N), or null
  public final Tensor cBias; // (H, 1, N), or null
  public final RMSNorm bNorm; // over N, or null
  public final RMSNorm cNorm;
  public final Tensor d; // (H) skip
  public final Linear outProj;

  public Mamba3Mixer(Mamba3Config config) {
    this.config = config;
    int heads = config.nHeads(), n = config.dState();
    this.inProj = child("in_proj", new Linear(config.dModel(), config.inProjDim(), false));
    this.dtBias = param("dt_bias", initialDtBias(heads, 1e-3, 1e-1, 1e-4));
    this.aLog = config.dataDependentA() ? null : param("A_log", Ops.uniform(1, 16, heads).log());
    this.bBias = config.bcBias() ? param("B_bias", Ops.ones(heads, 1, n)) : null;
    this.cBias = config.bcBias() ? param("C_bias", Ops.ones(heads, 1, n)) : null;
    this.bNorm = config.bcNorm() ? child("B_norm", new RMSNorm(n, 1e-5)) : null;
    this.cNorm = config.bcNorm() ? child("C_norm", new RMSNorm(n, 1e-5)) : null;
    this.d = param("D", Ops.ones(heads));
    this.outProj = child("out_proj", new Linear(config.dInner(), config.dModel(), false));
  }

  /** softplus⁻¹(Δ) for Δ log-uniform in [lo, hi], floored at {@code floor}: Δ + log(−expm1(−Δ)). */
  private static Tensor initialDtBias(int heads, double lo, double hi, double floor) {
    Tensor dt =
        clampMin(
            Ops.add(mul(Ops.rand(heads), Math.log(hi) - Math.log(lo)), Math.log(lo)).exp(), floor);
    return dt.add(dt.neg().expm1().neg().log());
  }

  /**
   * heavy_tail(x) = 1 + x for x ≥ 0 and 1/(1 − x) for x &lt; 0: positive, continuous and C¹ at 0.
   */
  static Tensor heavyTail(Tensor x) {
    return clampMin(x, 0).add(rsub(1, clampMax(x, 0)).reciprocal());
  }

  /** An all-zero decode state for {@code batch} sequences, in the parameters' dtype. */
  @Override
  public Mamba3State newState(long batch) {
    DType dtype = dtype();
    long h = config.nHeads();
    return new Mamba3State(
        Ops.zeros(dtype, batch, h, config.rotaryAngles()),
        Ops.zeros(dtype, batch, h, config.headDim(), config.dState()),
        Ops.zeros(dtype, batch, h, config.dState()),
        Ops.zeros(dtype, batch, h, config.headDim()));
  }

  /**
   * (B, T, D) → (B, T, D). With a state, continues from it (one recurrent step when T = 1, a
   * chunked prefill otherwise) and advances it.
   */
  @Override
  public Tensor forward(Tensor u, Mamba3State state) {
    long batch = u.size(0), t = u.size(1);
    long heads = config.nHeads(),
        p = config.headDim(),
        groups = config.nGroups(),
        n = config.dState();
    long angles = config.rotaryAngles();
    Tensor[] parts =
        split(
            inProj.forward(u),
            -1,
            config.dInner(),
            config.dInner(),
            groups * n,
            groups * n,
            heads,
            config.dataDependentA() ? heads : 0,
            config.trapezoidal() ? heads : 0,
            angles);
    Tensor z = parts[0]; // (B, T, dInner)
    Tensor v = parts[1].view(batch, t, heads, p); // (B, T, H, P)
    Tensor dt = softplus(parts[4].add(dtBias)); // (B, T, H) Δ
    Tensor a =
        config.dataDependentA()
            ? clampMax(heavyTail(parts[5]).neg(), -Mamba3Config.A_FLOOR) // (B, T, H) A_t
            : aLog.exp().neg(); // (H)
    Tensor logDecay = dt.mul(a); // (B, T, H) Δ·A
    Tensor lambda = config.trapezoidal() ? sigmoid(parts[6]) : null; // (B, T, H) λ

    Tensor k = perHead(parts[2].view(batch, t, groups, n), bNorm, bBias); // (B, T, H, N)
    Tensor q = perHead(parts[3].view(batch, t, groups, n), cNorm, cBias); // (B, T, H, N)
    Tensor theta = null; // (B, T, H, S) θ_t mod 2π
    if (angles > 0) {
      // θ_t = θ_0 + Σ_{s≤t} Δ_s·π·tanh(angle_s), the angles shared by all heads, Δ per head.
      Tensor step =
          dt.unsqueeze(-1).mul(mul(parts[7].tanh(), Math.PI).unsqueeze(2)); // (B, T, H, S)
      theta = step.cumsum(1);
      if (state != null) theta = theta.add(state.angle().unsqueeze(1));
      theta = remainder(theta, 2 * Math.PI);
      Tensor cos = theta.cos(), sin = theta.sin();
      k = rotate(k, cos, sin);
      q = rotate(q, cos, sin);
    }

    Tensor y; // (B, T, H, P), with the skip D·v
    if (state == null) {
      y =
          Mamba3Scan.chunked(v, logDecay, dt, lambda, k, q, d, null, null, null, config.chunk())
              .y();
    } else if (t == 1) {
      Mamba3Scan.Output out =
          Mamba3Scan.step(
              v.select(1, 0),
              logDecay.select(1, 0),
              dt.select(1, 0),
              lambda == null ? null : lambda.select(1, 0),
              k.select(1, 0),
              q.select(1, 0),
              d,
              state.ssm(),
              state.k(),
              state.v());
      y = out.y().unsqueeze(1);
      advance(state, theta, out.state(), k, v);
    } else {
      Mamba3Scan.Output out =
          Mamba3Scan.chunked(
              v, logDecay, dt, lambda, k, q, d, state.ssm(), state.k(), state.v(), config.chunk());
      y = out.y();
      advance(state, theta, out.state(), k, v);
    }
    y = y.reshape(batch, t, config.dInner());
    return outProj.forward(y.mul(silu(z)));
  }

  /**
   * Stores θ, h, k̃ and v of the last token as copies, so the state holds no view of the whole
   * prefill.
   */
  private static void advance(Mamba3State state, Tensor theta, Tensor h, Tensor k, Tensor v) {
    long last = k.size(1) - 1;
    Tensor angle = theta == null ? state.angle() : theta.select(1, last).clone();
    state.advance(angle, h, k.select(1, last).clone(), v.select(1, last).clone(), k.size(1));
  }

  /**
   * (B, T, G, N) → (B, T, H, N): RMSNorm over N, each group repeated for its heads, plus the
   * per-head bias; with neither norm nor bias the groups are only repeated.
   */
  private Tensor perHead(Tensor x, RMSNorm norm, Tensor bias) {
    long batch = x.size(0),
        t = x.size(1),
        groups = x.size(2),
        n = x.size(3),
        heads = config.nHeads();
    if (norm != null) x = norm.forward(x);
    Tensor expanded =
        x.unsqueeze(3).expand(batch, t, groups, heads / groups, n).reshape(batch, t, heads, n);
    return bias == null ? expanded : expanded.add(bias.view(heads, n));
  }

  /**
   * R(θ)·x: turns each pair (x[2i], x[2i+1]), i &lt; S, by θ[i]; the dims from 2S on are kept. x
   * (…, N), cos and sin (…, S) → (…, N).
   */
  static Tensor rotate(Tensor x, Tensor cos, Tensor sin) {
    long n = x.size(-1), s = cos.size(-1);
    Tensor pairs = x.narrow(-1, 0, 2 * s).unflatten(-1, new long[] {s, 2}); // (…, S, 2)
    Tensor x0 = pairs.select(-1, 0), x1 = pairs.select(-1, 1); // (…, S)
    Tensor turned =
        stack(-1, x0.mul(cos).sub(x1.mul(sin)), x0.mul(sin).add(x1.mul(cos)))
            .flatten(-2, -1); // (…, 2S)
    return 2 * s == n ? turned : cat(-1, turned, x.narrow(-1, 2 * s, n - 2 * s));
  }

  @Override
  public Class<Mamba3State> stateType() {
    return Mamba3State.class;
  }
}
