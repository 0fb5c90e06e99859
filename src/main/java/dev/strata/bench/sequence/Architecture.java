package dev.strata.bench.sequence;

import static dev.strata.nn.Ops.noGrad;
import static dev.strata.nn.Ops.zeros;

import dev.strata.nn.LayerKind;
import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.SequenceLayer;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One model of a benchmark sweep: a {@link CausalLm} layer pattern (A attention, M Mamba-2, S
 * Mamba-3, …) at a width and SSM state size. The fixed parts: attention heads of 32 channels, SSM
 * head dim P = 32, expand 2, chunk 32 (the spec's CPU choices).
 *
 * @param pattern layer kinds, one letter per layer
 * @param dModel residual width
 * @param dState SSM state N per head (M and S layers); for T layers the memory's key/value width,
 *     so a memory holds (d/32)·N² floats (ignored by attention)
 */
public record Architecture(String pattern, int dModel, int dState) {
  /**
   * The hybrid of the benchmarks: Mamba-2 with one attention layer in four (the hybrid the
   * benchmarks compare).
   */
  public static final String HYBRID = "MMAM";

  public static final int HEAD_CHANNELS = 32;
  public static final int SSM_HEAD_DIM = 32;
  public static final int EXPAND = 2;
  public static final int CHUNK = 32;

  public Architecture {
    if (pattern == null || pattern.isEmpty())
      throw new IllegalArgumentException("an architecture needs a layer pattern, e.g. MMAM");
    LayerKind.parse(pattern); // refuses a letter no layer kind has
    if (dModel < HEAD_CHANNELS || dModel % HEAD_CHANNELS != 0) {
      throw new IllegalArgumentException(
          "width must be a positive multiple of " + HEAD_CHANNELS + ", got " + dModel);
    }
    if (dState < 4 || dState % 2 != 0)
      throw new IllegalArgumentException("SSM state size must be even and ≥ 4, got " + dState);
  }

  /**
   * {@code depth} layers of each {@link LayerKind} (e.g. AA, MM, SS, TT), then {@link #HYBRID}.
   * Adding a layer kind there makes it join these defaults, and its state size is measured from its
   * decode state ({@link #stateFloats}) unless given.
   */
  public static List<String> defaultPatterns(int depth) {
    List<String> out = new ArrayList<>();
    for (LayerKind kind : LayerKind.values()) out.add(String.valueOf(kind.letter).repeat(depth));
    out.add(HYBRID);
    return List.copyOf(out);
  }

  /**
   * The report name: the layer kind's name when all layers are of one kind (attention, mamba2,
   * mamba3, …), otherwise "hybrid".
   */
  public String name() {
    char first = pattern.charAt(0);
    return pattern.chars().allMatch(c -> c == first)
        ? LayerKind.ofLetter(first).reportName
        : "hybrid";
  }

  /** Whether any layer is attention. */
  public boolean hasAttention() {
    return LayerKind.ATTENTION.in(pattern);
  }

  /** Whether every layer keeps a fixed-size state (no attention). */
  public boolean recurrent() {
    return !hasAttention();
  }

  /** A short label, e.g. {@code MMAM d64 N16}; N is left out when no layer uses it. */
  public String label() {
    boolean ssm = sizedByN(pattern);
    return pattern + " d" + dModel + (ssm ? " N" + dState : "");
  }

  /** Whether N sizes some layer of the pattern (M, S: the SSM state; T: the memory width). */
  static boolean sizedByN(String pattern) {
    return pattern
        .chars()
        .mapToObj(c -> LayerKind.ofLetter((char) c))
        .anyMatch(k -> k != null && (k.ssm() || k == LayerKind.MEMORY));
  }

  /** The LM over {@code vocab} tokens, trained at {@code context}. */
  public LmConfig lm(int vocab, int context) {
    return new LmConfig(
            name(),
            vocab,
            dModel,
            pattern,
            dModel / HEAD_CHANNELS,
            dState,
            SSM_HEAD_DIM,
            EXPAND,
            CHUNK,
            context)
        .withMemory(
            new LmConfig.Memory(
                Math.max(1, dModel / HEAD_CHANNELS),
                dState,
                16,
                4,
                dev.strata.nn.MemoryConfig.Rule.TITANS));
  }

  /**
   * The recurrent state one sequence needs after {@code length} tokens, in floats, summed over
   * layers — the x axis of Zoology's accuracy-vs-state-size plots: the KV cache 2·T·d of an
   * attention layer, H·P·N of a Mamba-2 or Mamba-3 layer, H·d_v·d_k of a memory layer (its memory;
   * the decode state also keeps the momentum and the chunk-start memory), and for any other layer
   * kind the size of its decode state, measured.
   */
  public long stateFloats(CausalLm model, int length) {
    LmConfig c = model.config;
    long total = 0;
    List<LayerKind> kinds = LayerKind.parse(pattern);
    for (int i = 0; i < kinds.size(); i++) {
      total +=
          switch (kinds.get(i)) {
            case ATTENTION -> 2L * length * c.dModel();
            case MAMBA2, MAMBA3 -> c.ssmStateSize();
            case MEMORY ->
                (long) c.memory().heads()
                    * c.memory().headDim()
                    * c.memory().headDim(); // the memory M, H·d_v·d_k
            default -> measuredStateFloats(model.layers.layer(i), c.dModel(), length);
          };
    }
    return total;
  }

  /** Floats of a layer's decode state after {@code length} tokens (zeros in, no gradients). */
  static long measuredStateFloats(SequenceLayer layer, int dModel, int length) {
    try (Scope s = Ops.scope();
        var g = noGrad();
        LayerState state = layer.newState(1, length)) {
      layer.forward(zeros(1, length, dModel), state);
      return state.bytes() / Float.BYTES;
    }
  }
}
