package dev.strata.nn;

/**
 * Sizes and parts of a Mamba-3 SISO block (Lahoti et al. 2026, "Mamba-3"; reference: {@code
 * mamba_ssm.modules.mamba3.Mamba3} with {@code is_mimo=False}, {@code rope_fraction=0.5}, {@code
 * is_outproj_norm=False}). The defaults suit small CPU models, as {@link Mamba2Config}'s.
 *
 * <p>The five switches turn Mamba-3's additions off one at a time, for ablations; with all of them
 * off ({@link #mamba2Like()}) the recurrence is Mamba-2's {@code h_t = exp(Δ_t·A)·h_{t−1} +
 * Δ_t·x_t·B_tᵀ} (without Mamba-2's convolution).
 *
 * @param dModel width of the residual stream
 * @param dState N, the state size per head (columns of B and C)
 * @param headDim P, channels per head
 * @param expand inner width = expand · dModel
 * @param nGroups G, groups of heads that share the projected B and C (before the per-head biases
 *     and rotation)
 * @param chunk Q, the chunk length of the parallel scan
 * @param trapezoidal the exponential-trapezoidal rule with a learned λ_t = σ(trap_t); off: λ ≡ 1
 *     (exponential Euler, Mamba-2)
 * @param rotary the data-dependent rotation of half of the state dims by θ_t; off: θ ≡ 0
 * @param bcNorm RMSNorm on B and C
 * @param bcBias learned per-head biases added to B and C (initialised to 1)
 * @param dataDependentA A_t = −heavy_tail(dd_A_t) per token; off: a constant A = −exp(A_log) per
 *     head (Mamba-2)
 */
public record Mamba3Config(
    int dModel,
    int dState,
    int headDim,
    int expand,
    int nGroups,
    int chunk,
    boolean trapezoidal,
    boolean rotary,
    boolean bcNorm,
    boolean bcBias,
    boolean dataDependentA) {

  /**
   * The largest A may be: A_t ≤ −A_FLOOR, so every head forgets a little (reference {@code
   * A_floor}).
   */
  public static final double A_FLOOR = 1e-4;

  public Mamba3Config {
    if (dModel <= 0 || dState <= 0 || headDim <= 0 || expand <= 0 || nGroups <= 0 || chunk <= 0) {
      throw new IllegalArgumentException("Mamba3Config sizes must be positive: " + this);
    }
    if ((long) expand * dModel % headDim != 0) {
      throw new IllegalArgumentException(
          "inner width " + expand * dModel + " is not a multiple of headDim " + headDim);
    }
    if ((long) expand * dModel / headDim % nGroups != 0) {
      throw new IllegalArgumentException(
          expand * dModel / headDim + " heads do not split into " + nGroups + " groups");
    }
    if (rotary && (dState < 4 || dState % 2 != 0)) {
      throw new IllegalArgumentException(
          "the rotation needs an even dState ≥ 4 (it turns pairs in half the state), got "
              + dState);
    }
  }

  /** All of Mamba-3's parts on. */
  public Mamba3Config(int dModel, int dState, int headDim, int expand, int nGroups, int chunk) {
    this(dModel, dState, headDim, expand, nGroups, chunk, true, true, true, true, true);
  }

  /** The defaults for the given width: state 64, head dim 32, expand 2, one group, chunk 64. */
  public Mamba3Config(int dModel) {
    this(dModel, 64, 32, 2, 1, 64);
  }

  /** Inner width expand · dModel (the x, z channels). */
  public int dInner() {
    return expand * dModel;
  }

  /** Number of SSM heads H = dInner / headDim. */
  public int nHeads() {
    return dInner() / headDim;
  }

  /**
   * Rotation angles S per head: the rotation turns S pairs (2S ≤ N/2 of the state dims), the
   * reference's {@code num_rope_angles} for {@code rope_fraction=0.5}; 0 without the rotation.
   */
  public int rotaryAngles() {
    return rotary ? dState / 4 : 0;
  }

  /**
   * Output width of in_proj: z, x, B, C, Δ, then dd_A, trap (one per head each) and the angles,
   * where present.
   */
  public int inProjDim() {
    return 2 * dInner()
        + 2 * nGroups * dState
        + nHeads() * (1 + (dataDependentA ? 1 : 0) + (trapezoidal ? 1 : 0))
        + rotaryAngles();
  }

  /** Floats of the SSM state h per sequence: H·P·N (the memory a recall task can use). */
  public long ssmStateSize() {
    return (long) nHeads() * headDim * dState;
  }

  /**
   * Floats of the whole decode state per sequence: θ (H·S), h (H·P·N), k̃_{t−1} (H·N) and v_{t−1}
   * (H·P).
   */
  public long decodeStateSize() {
    return (long) nHeads() * (rotaryAngles() + (long) headDim * dState + dState + headDim);
  }

  public Mamba3Config withChunk(int q) {
    return new Mamba3Config(
        dModel,
        dState,
        headDim,
        expand,
        nGroups,
        q,
        trapezoidal,
        rotary,
        bcNorm,
        bcBias,
        dataDependentA);
  }

  /**
   * Every Mamba-3 addition off: λ ≡ 1, θ ≡ 0, no B/C norm or bias, a constant A per head. The
   * recurrence is then Mamba-2's.
   */
  public Mamba3Config mamba2Like() {
    return new Mamba3Config(
        dModel, dState, headDim, expand, nGroups, chunk, false, false, false, false, false);
  }
}
