package dev.strata.nn;

import static dev.strata.nn.Ops.silu;
import static dev.strata.nn.Ops.softplus;
import static dev.strata.nn.Ops.split;

/**
 * The Mamba-2 mixer (Dao &amp; Gu 2024, §7, Figure 6): one input projection to [z, x, B, C, Δ]; a
 * depthwise causal conv and SiLU over [x, B, C]; the SSD scan ({@link Ssd}) with a skip D·x; a
 * gated RMSNorm norm(y·SiLU(z)); an output projection. Parameter names follow {@code
 * mamba_ssm.modules.mamba2_simple.Mamba2Simple}, so state dicts interchange; like it, the gated
 * norm spans the whole inner width (the full {@code Mamba2} normalises per group of heads, which
 * differs only when nGroups &gt; 1). Projections have no bias; out_proj keeps PyTorch's default
 * init (an LM may rescale it by 1/√layers, as mamba_ssm does).
 */
public final class Mamba2Mixer extends Module implements RecurrentMixer<Mamba2State> {
  public final Mamba2Config config;
  public final Linear inProj; // d → [z, x, B, C, Δ]
  public final DepthwiseCausalConv1d conv1d; // over [x, B, C]
  public final Tensor dtBias; // (H) softplus⁻¹ of the initial Δ
  public final Tensor aLog; // (H) A = −exp(A_log)
  public final Tensor d; // (H) skip
  public final RMSNorm norm; // gated: norm(y·SiLU(z))
  public final Linear outProj;

  public Mamba2Mixer(Mamba2Config config) {
    this.config = config;
    int heads = config.nHeads();
    this.inProj = child("in_proj", new Linear(config.dModel(), config.inProjDim(), false));
    this.conv1d = child("conv1d", new DepthwiseCausalConv1d(config.convDim(), config.convKernel()));
    this.dtBias = param("dt_bias", initialDtBias(heads, 1e-3, 1e-1, 1e-4));
    this.aLog = param("A_log", Ops.uniform(1, 16, heads).log());
    this.d = param("D", Ops.ones(heads));
    this.norm = child("norm", new RMSNorm(config.dInner(), 1e-5));
    this.outProj = child("out_proj", new Linear(config.dInner(), config.dModel(), false));
  }

  /** softplus⁻¹(Δ) for Δ log-uniform in [lo, hi], floored at {@code floor}: Δ + log(−expm1(−Δ)). */
  private static Tensor initialDtBias(int heads, double lo, double hi, double floor) {
    Tensor dt =
        Ops.clampMin(
            Ops.add(Ops.mul(Ops.rand(heads), Math.log(hi) - Math.log(lo)), Math.log(lo)).exp(),
            floor);
    return dt.add(dt.neg().expm1().neg().log());
  }

  /** An all-zero decode state for {@code batch} sequences, in the parameters' dtype. */
  @Override
  public Mamba2State newState(long batch) {
    DType dtype = dtype();
    return new Mamba2State(
        Ops.zeros(dtype, batch, config.convDim(), config.convKernel() - 1),
        Ops.zeros(dtype, batch, config.nHeads(), config.headDim(), config.dState()));
  }

  /**
   * (B, T, D) → (B, T, D). With a state, continues from it (one recurrent step when T = 1, a
   * chunked prefill from its SSM state and conv history otherwise) and advances it.
   */
  @Override
  public Tensor forward(Tensor u, Mamba2State state) {
    long batch = u.size(0), t = u.size(1);
    if (state != null && t == 1) return step(u, state);
    long heads = config.nHeads(),
        p = config.headDim(),
        groups = config.nGroups(),
        n = config.dState();
    Tensor[] zxbcdt = split(inProj.forward(u), -1, config.dInner(), config.convDim(), heads);
    Tensor z = zxbcdt[0]; // (B, T, dInner)
    Tensor xbcRaw = zxbcdt[1]; // (B, T, convDim)
    Tensor dt = softplus(zxbcdt[2].add(dtBias)); // (B, T, H) Δ
    Tensor a = aLog.exp().neg(); // (H)

    Tensor history = state == null ? null : state.conv();
    Tensor[] xbc =
        split(silu(conv1d.forward(xbcRaw, history)), -1, config.dInner(), groups * n, groups * n);
    Tensor x = xbc[0].view(batch, t, heads, p); // (B, T, H, P)
    Tensor b = xbc[1].view(batch, t, groups, n); // (B, T, G, N)
    Tensor c = xbc[2].view(batch, t, groups, n); // (B, T, G, N)

    Tensor y; // (B, T, H, P), with the skip D·x
    if (state == null) {
      y = Ssd.chunked(x, dt, a, b, c, d, null, config.chunk()).y();
    } else {
      Ssd.Output out = Ssd.chunked(x, dt, a, b, c, d, state.ssm(), config.chunk());
      y = out.y();
      state.advance(conv1d.nextHistory(xbcRaw, history), out.state(), t);
    }
    y = y.reshape(batch, t, config.dInner());
    return outProj.forward(norm.forward(y.mul(silu(z))));
  }

  /**
   * One decode token, u (B, 1, D) → (B, 1, D): the recurrent step on (B, ·) rows, with one conv
   * window serving both the output and the next history (fewer small ops per token).
   */
  private Tensor step(Tensor u, Mamba2State state) {
    long batch = u.size(0), heads = config.nHeads(), groups = config.nGroups(), n = config.dState();
    Tensor[] zxbcdt =
        split(inProj.forward(u.select(1, 0)), -1, config.dInner(), config.convDim(), heads);
    Tensor dt = softplus(zxbcdt[2].add(dtBias)); // (B, H) Δ
    Tensor[] conv = conv1d.step(zxbcdt[1], state.conv()); // (B, convDim), next history
    Tensor[] xbc = split(silu(conv[0]), -1, config.dInner(), groups * n, groups * n);
    Ssd.Output out =
        Ssd.step(
            xbc[0].view(batch, heads, config.headDim()),
            dt,
            aLog.exp().neg(),
            xbc[1].view(batch, groups, n),
            xbc[2].view(batch, groups, n),
            d,
            state.ssm()); // y (B, H, P)
    state.advance(conv[1], out.state(), 1);
    Tensor y = out.y().view(batch, config.dInner()).mul(silu(zxbcdt[0])); // (B, dInner)
    return outProj.forward(norm.forward(y)).unsqueeze(1); // (B, 1, D)
  }

  @Override
  public Class<Mamba2State> stateType() {
    return Mamba2State.class;
  }
}
