package dev.strata.propose;

import dev.strata.nn.LayerKind;
import dev.strata.nn.Mamba2Config;
import dev.strata.nn.Mamba3Config;
import dev.strata.nn.MemoryConfig;

/**
 * Shape of a {@link CausalLm}. {@code pattern} has one {@link LayerKind} letter per layer: {@code
 * A} a Transformer block (causal attention with RoPE + GELU MLP), {@code M} a Mamba-2 block, {@code
 * S} a Mamba-3 (SISO) block, {@code T} a test-time memory block (Titans). M and S layers share the
 * SSM sizes (dState, headDim, expand, chunk).
 *
 * @param arch a name for reports: transformer, mamba2, mamba3 or hybrid
 * @param vocab number of token ids
 * @param dModel residual width
 * @param pattern layer kinds, e.g. {@code "AAAA"}, {@code "MMMMMM"}, {@code "MMAMMA"}
 * @param heads attention heads (A layers)
 * @param dState SSM state size N (M and S layers)
 * @param headDim SSM head dimension P (M and S layers)
 * @param expand SSM inner width = expand·dModel (M and S layers)
 * @param chunk SSD chunk length Q (M and S layers)
 * @param context training context length
 * @param dropout residual dropout on every block's output branch while training (0 = none)
 * @param memory sizes of the test-time memory (T layers); null means {@link Memory#DEFAULT}
 */
public record LmConfig(
    String arch,
    int vocab,
    int dModel,
    String pattern,
    int heads,
    int dState,
    int headDim,
    int expand,
    int chunk,
    int context,
    double dropout,
    Memory memory) {

  /**
   * The test-time memory of T layers ({@link dev.strata.nn.MemoryConfig} without the width).
   *
   * @param heads memory heads H
   * @param headDim P = d_k = d_v per head; the memory holds H·P² floats per layer
   * @param chunk C, the chunk length of the memory's training form (part of the model)
   * @param convKernel depthwise causal conv over q, k, v (0 = none)
   * @param rule TITANS (momentum) or GATED_DELTA (no momentum, gradient at the decayed memory);
   *     null means TITANS
   */
  public record Memory(int heads, int headDim, int chunk, int convKernel, MemoryConfig.Rule rule) {
    /** 4 heads of 32 channels, chunk 16, conv kernel 4, Titans' rule. */
    public static final Memory DEFAULT = new Memory(4, 32, 16, 4, MemoryConfig.Rule.TITANS);

    public Memory {
      if (heads <= 0 || headDim <= 0 || chunk <= 0) {
        throw new IllegalArgumentException(
            "memory heads, head dim and chunk must be positive, got "
                + heads
                + ", "
                + headDim
                + ", "
                + chunk);
      }
      if (convKernel < 0 || convKernel == 1) {
        throw new IllegalArgumentException(
            "memory conv kernel must be 0 (none) or at least 2, got " + convKernel);
      }
      if (rule == null) rule = MemoryConfig.Rule.TITANS;
    }
  }

  /** The default memory. */
  public LmConfig(
      String arch,
      int vocab,
      int dModel,
      String pattern,
      int heads,
      int dState,
      int headDim,
      int expand,
      int chunk,
      int context,
      double dropout) {
    this(
        arch, vocab, dModel, pattern, heads, dState, headDim, expand, chunk, context, dropout,
        null);
  }

  /** No dropout. */
  public LmConfig(
      String arch,
      int vocab,
      int dModel,
      String pattern,
      int heads,
      int dState,
      int headDim,
      int expand,
      int chunk,
      int context) {
    this(arch, vocab, dModel, pattern, heads, dState, headDim, expand, chunk, context, 0);
  }

  public LmConfig {
    if (vocab <= 0) throw new IllegalArgumentException("vocab must be positive, got " + vocab);
    if (dModel <= 0)
      throw new IllegalArgumentException("model width must be positive, got " + dModel);
    LayerKind.parse(pattern); // refuses a letter no layer kind has
    if (memory == null) memory = Memory.DEFAULT; // configurations saved before T layers existed
    if (context <= 0)
      throw new IllegalArgumentException("context must be positive, got " + context);
    if (dropout < 0 || dropout >= 1)
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
  }

  public LmConfig withDropout(double p) {
    return new LmConfig(
        arch, vocab, dModel, pattern, heads, dState, headDim, expand, chunk, context, p, memory);
  }

  public LmConfig withMemory(Memory m) {
    return new LmConfig(
        arch, vocab, dModel, pattern, heads, dState, headDim, expand, chunk, context, dropout, m);
  }

  /**
   * The CPU configurations of the foundation benchmark: ~0.8M-parameter char LMs (transformer,
   * mamba2, hybrid), and a Mamba-3 stack of the same sizes (0.86M parameters at vocab 65).
   */
  public static LmConfig cpu(String arch, int vocab) {
    return new LmConfig(arch, vocab, 128, LmArch.named(arch).pattern, 4, 64, 32, 2, 64, 256);
  }

  /** A tiny configuration for tests. */
  public static LmConfig tiny(String pattern, int vocab) {
    return new LmConfig("test", vocab, 32, pattern, 2, 8, 8, 2, 8, 32);
  }

  public boolean hasAttention() {
    return LayerKind.ATTENTION.in(pattern);
  }

  /** Whether any layer is Mamba-2 (M). */
  public boolean hasMamba() {
    return LayerKind.MAMBA2.in(pattern);
  }

  /** Whether any layer is Mamba-3 (S). */
  public boolean hasMamba3() {
    return LayerKind.MAMBA3.in(pattern);
  }

  /** Whether any layer is a state-space model (M or S); such stacks use RMSNorm before the head. */
  public boolean hasSsm() {
    return hasMamba() || hasMamba3();
  }

  /** The Mamba-2 block of M layers: one B/C group, conv kernel 4. */
  public Mamba2Config mamba2Config() {
    return new Mamba2Config(dModel, dState, headDim, expand, 1, 4, chunk);
  }

  /** The Mamba-3 (SISO) block of S layers: one B/C group, every Mamba-3 part on. */
  public Mamba3Config mamba3Config() {
    return new Mamba3Config(dModel, dState, headDim, expand, 1, chunk);
  }

  /**
   * Floats of the recurrent SSM state per sequence of each M or S layer: H·P·N (the same for both;
   * the decode state adds Mamba-2's conv history or Mamba-3's θ, k̃ and v, see {@link
   * Mamba2Config#decodeStateSize()} and {@link Mamba3Config#decodeStateSize()}). 0 for a pure
   * attention stack.
   */
  public long ssmStateSize() {
    return hasSsm() ? (long) expand * dModel / headDim * headDim * dState : 0;
  }
}
