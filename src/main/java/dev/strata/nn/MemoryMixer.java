package dev.strata.nn;

import static dev.strata.nn.Ops.l2Normalize;
import static dev.strata.nn.Ops.logSigmoid;
import static dev.strata.nn.Ops.mul;
import static dev.strata.nn.Ops.sigmoid;
import static dev.strata.nn.Ops.silu;
import static dev.strata.nn.Ops.split;

/**
 * The test-time memory mixer (Titans, Behrouz et al. 2024, §3.1 and §4.4): queries, keys and values
 * from one projection, a depthwise causal conv and SiLU over them, unit-norm queries and keys;
 * per-head gates θ (step size), α (forgetting) and, with momentum, η from a second projection; the
 * memory update and read of {@link MemoryScan}; a per-head RMSNorm of the read, an output gate
 * SiLU(z) (as Gated DeltaNet's output block), and an output projection.
 *
 * <p>Gates: {@code θ = ½·σ(·)}, so one step {@code 2θ·‖k‖² ≤ 1} never overshoots the written pair
 * and Gated DeltaNet's {@code β = 2θ} is its usual sigmoid; {@code α = σ(·)} and {@code η = σ(·)}.
 * Initial biases: θ = ¼ (β = ½), η = σ(−2) ≈ 0.12, and α = σ(b) with b spread over the heads from
 * −6 to −2 (α ≈ 0.0025 … 0.12), so the heads start with memories of different horizons.
 */
public final class MemoryMixer extends Module implements RecurrentMixer<MemoryState> {
  public final MemoryConfig config;
  public final Linear inProj; // d → [q, k, v, z], each H·P
  public final Linear gateProj; // d → [θ, α, η?] logits, one per head each
  public final DepthwiseCausalConv1d conv1d; // over [q, k, v], or null
  public final RMSNorm norm; // per head, over P
  public final Linear outProj;

  public MemoryMixer(MemoryConfig config) {
    this.config = config;
    int h = config.heads();
    this.inProj = child("in_proj", new Linear(config.dModel(), 4L * config.inner(), false));
    this.gateProj =
        child("gate_proj", new Linear(config.dModel(), (long) config.gates() * h, true));
    this.conv1d =
        config.convKernel() > 0
            ? child("conv1d", new DepthwiseCausalConv1d(3L * config.inner(), config.convKernel()))
            : null;
    this.norm = child("norm", new RMSNorm(config.headDim(), 1e-5));
    this.outProj = child("out_proj", new Linear(config.inner(), config.dModel(), false));
    try (var g = Ops.noGrad()) {
      Tensor[] bias = Ops.chunk(gateProj.bias, config.gates(), 0); // views: θ, α, η
      Ops.fillInPlace(bias[0], 0); // θ = σ(0)/2 = 1/4
      bias[1].copy_(
          h == 1
              ? Ops.full(-4, 1)
              : Ops.add(mul(Ops.arange(DType.FLOAT32, h), 4.0 / (h - 1)), -6)); // α
      if (config.gates() == 3) Ops.fillInPlace(bias[2], -2); // η = σ(−2)
    }
  }

  /**
   * What the memory reads and writes, from the normalised input.
   *
   * @param q unit-norm queries (B, T, H, P)
   * @param k unit-norm keys (B, T, H, P)
   * @param v values (B, T, H, P)
   * @param z output gate, before SiLU (B, T, H·P)
   * @param logEta log η (B, T, H), or null without momentum
   * @param theta θ (B, T, H)
   * @param logDecay log(1−α) (B, T, H)
   * @param qkvRaw the conv's input (B, T, 3·H·P), for the next conv history
   */
  public record Inputs(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor z,
      Tensor logEta,
      Tensor theta,
      Tensor logDecay,
      Tensor qkvRaw) {}

  /**
   * Projections, conv and gates of (B, T, D), continuing from a conv history (B, 3·H·P, K−1) or
   * zeros if null.
   */
  public Inputs inputs(Tensor u, Tensor history) {
    long batch = u.size(0),
        t = u.size(1),
        h = config.heads(),
        p = config.headDim(),
        inner = config.inner();
    Tensor[] qkvz = split(inProj.forward(u), -1, 3 * inner, inner);
    Tensor qkvRaw = qkvz[0]; // (B, T, 3·H·P)
    Tensor mixed = conv1d == null ? qkvRaw : conv1d.forward(qkvRaw, history);
    Tensor[] qkv = split(silu(mixed), -1, inner, inner, inner);
    Tensor q = l2Normalize(qkv[0].reshape(batch, t, h, p), 1e-6); // (B, T, H, P)
    Tensor k = l2Normalize(qkv[1].reshape(batch, t, h, p), 1e-6); // (B, T, H, P)
    Tensor v = qkv[2].reshape(batch, t, h, p); // (B, T, H, P)
    Tensor[] gates =
        Ops.chunk(gateProj.forward(u), config.gates(), -1); // θ, α, η logits, (B, T, H) each
    Tensor theta = mul(sigmoid(gates[0]), 0.5); // θ = ½σ
    Tensor logDecay = logSigmoid(gates[1].neg()); // log(1−α) = log σ(−a)
    Tensor logEta = config.momentum() ? logSigmoid(gates[2]) : null; // log η
    return new Inputs(q, k, v, qkvz[1], logEta, theta, logDecay, qkvRaw);
  }

  /**
   * An empty memory and zero conv history for {@code batch} sequences, in the parameters' dtype.
   */
  @Override
  public MemoryState newState(long batch) {
    DType dtype = dtype();
    Tensor conv =
        conv1d == null
            ? null
            : Ops.zeros(dtype, batch, 3L * config.inner(), config.convKernel() - 1);
    return new MemoryState(
        conv,
        MemoryScan.State.zeros(dtype, batch, config.heads(), config.headDim(), config.headDim()));
  }

  /**
   * (B, T, D) → (B, T, D). With a state, continues from it (one recurrent step when T = 1, the
   * chunked form from the state's memory and chunk position otherwise) and advances it.
   */
  @Override
  public Tensor forward(Tensor u, MemoryState state) {
    long batch = u.size(0), t = u.size(1);
    boolean decayed = config.rule() == MemoryConfig.Rule.GATED_DELTA;
    Inputs in = inputs(u, state == null ? null : state.conv());
    Tensor y; // (B, T, H, P)
    if (state == null) {
      y =
          MemoryScan.chunked(
                  in.q(),
                  in.k(),
                  in.v(),
                  in.logEta(),
                  in.theta(),
                  in.logDecay(),
                  null,
                  0,
                  config.chunk(),
                  decayed)
              .y();
    } else {
      long offset = state.position() % config.chunk();
      MemoryScan.Output out =
          t == 1
              ? MemoryScan.step(
                  in.q().select(1, 0),
                  in.k().select(1, 0),
                  in.v().select(1, 0),
                  in.logEta() == null ? null : in.logEta().select(1, 0),
                  in.theta().select(1, 0),
                  in.logDecay().select(1, 0),
                  state.scan(),
                  offset,
                  config.chunk(),
                  decayed)
              : MemoryScan.chunked(
                  in.q(),
                  in.k(),
                  in.v(),
                  in.logEta(),
                  in.theta(),
                  in.logDecay(),
                  state.scan(),
                  offset,
                  config.chunk(),
                  decayed);
      y = t == 1 ? out.y().unsqueeze(1) : out.y();
      state.advance(
          conv1d == null ? null : conv1d.nextHistory(in.qkvRaw(), state.conv()), out.state(), t);
    }
    return readOut(y, in.z());
  }

  /**
   * The output block: per-head RMSNorm of the read (B, T, H, P), gated by SiLU(z), projected to (B,
   * T, D).
   */
  public Tensor readOut(Tensor y, Tensor z) {
    long batch = y.size(0), t = y.size(1);
    Tensor gated = norm.forward(y).reshape(batch, t, config.inner()).mul(silu(z)); // (B, T, H·P)
    return outProj.forward(gated);
  }

  /**
   * Floats in this layer's memory, H·d_v·d_k (the decode state also holds S, the reference and the
   * conv history).
   */
  public long memoryFloats() {
    return config.memoryFloats();
  }

  @Override
  public Class<MemoryState> stateType() {
    return MemoryState.class;
  }
}
