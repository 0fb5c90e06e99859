package dev.strata.nn;

/**
 * Sizes of a test-time memory block ({@link MemoryBlock}; Titans, Behrouz et al. 2024, "Titans:
 * Learning to Memorize at Test Time"): a linear memory of {@code headDim × headDim} per head,
 * written by gradient steps on {@code ‖M·k − v‖²} while the sequence is read.
 *
 * @param dModel width of the residual stream
 * @param heads memory heads H
 * @param headDim P = d_k = d_v, the channels of a head's query, key and value
 * @param chunk C, the chunk length of the training form: all gradients of a chunk are taken at the
 *     memory of its start (Titans §3.2), so C is part of the model; with C = 1 the layer is the
 *     plain recurrence
 * @param convKernel width of the depthwise causal conv over q, k, v (Titans §4.4, as in Mamba and
 *     Gated DeltaNet), or 0 for none
 * @param rule which memory update the layer runs
 */
public record MemoryConfig(
    int dModel, int heads, int headDim, int chunk, int convKernel, Rule rule) {

  /** The memory update of {@link MemoryScan}. */
  public enum Rule {
    /**
     * Titans: momentum on the surprise, {@code S_t = η_t·S_{t−1} − θ_t·∇ℓ(M_{t−1})} and {@code M_t
     * = (1−α_t)·M_{t−1} + S_t} (Titans eqs. 13–14).
     */
    TITANS,
    /**
     * No momentum (η = 0) and the gradient taken at the decayed memory {@code (1−α_t)·M_{t−1}}:
     * Gated DeltaNet's {@code M_t = (1−α_t)·M_{t−1}(I − β_t·k_t·k_tᵀ) + β_t·v_t·k_tᵀ} with {@code
     * β_t = 2θ_t} (Yang et al. 2024, "Gated Delta Networks: Improving Mamba2 with Delta Rule",
     * §3.1).
     */
    GATED_DELTA
  }

  public MemoryConfig {
    if (dModel <= 0 || heads <= 0 || headDim <= 0 || chunk <= 0) {
      throw new IllegalArgumentException("MemoryConfig sizes must be positive: " + this);
    }
    if (convKernel < 0 || convKernel == 1) {
      throw new IllegalArgumentException(
          "memory conv kernel must be 0 (none) or at least 2, got " + convKernel);
    }
    if (rule == null)
      throw new IllegalArgumentException("memory rule is missing; choose TITANS or GATED_DELTA");
  }

  /**
   * The defaults for the given width: 4 heads of 32 channels, chunk 16, conv kernel 4, Titans'
   * rule.
   */
  public MemoryConfig(int dModel) {
    this(dModel, 4, 32, 16, 4, Rule.TITANS);
  }

  /** Width of the queries (and of the keys, values and output gate): H·P. */
  public int inner() {
    return heads * headDim;
  }

  /** Whether the surprise carries momentum η (Titans) or not (Gated DeltaNet). */
  public boolean momentum() {
    return rule == Rule.TITANS;
  }

  /** Data-dependent gates per head: θ and α, and η when there is momentum. */
  public int gates() {
    return momentum() ? 3 : 2;
  }

  /** Floats in the memory of one layer, H·d_v·d_k, for state-size comparisons (e.g. MQAR). */
  public long memoryFloats() {
    return (long) heads * headDim * headDim;
  }

  public MemoryConfig withChunk(int c) {
    return new MemoryConfig(dModel, heads, headDim, c, convKernel, rule);
  }

  public MemoryConfig withRule(Rule r) {
    return new MemoryConfig(dModel, heads, headDim, chunk, convKernel, r);
  }
}
