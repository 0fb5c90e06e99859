package dev.strata.train;

import dev.strata.nn.Embedding;
import dev.strata.nn.Module;
import dev.strata.nn.Tensor;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parameters that share a weight decay and a learning-rate multiplier, keyed by their dotted names
 * (the names also key the optimizer state in a checkpoint).
 *
 * @param name a label for logs ("decay", "no_decay")
 * @param params parameters by dotted name, in model order
 * @param weightDecay decoupled weight decay λ (AdamW: θ ← θ·(1 − lr·λ))
 * @param lrScale multiplier on the scheduled learning rate for this group
 */
public record ParamGroup(
    String name, Map<String, Tensor> params, double weightDecay, double lrScale) {
  public static final String DECAY = "decay";
  public static final String NO_DECAY = "no_decay";

  public ParamGroup {
    if (weightDecay < 0 || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay of group '" + name + "' must be ≥ 0, got " + weightDecay);
    }
    if (lrScale < 0 || !Double.isFinite(lrScale)) {
      throw new IllegalArgumentException(
          "lr scale of group '" + name + "' must be ≥ 0, got " + lrScale);
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Every parameter of {@code model} in one group. */
  public static ParamGroup all(Module model, double weightDecay) {
    return new ParamGroup("all", model.namedParameters(), weightDecay, 1.0);
  }

  /**
   * The standard GPT-style split into two groups: {@value #DECAY} (weight decay {@code
   * weightDecay}) and {@value #NO_DECAY} (none), both with lr scale 1. The rule is {@link #decays}:
   * matrices decay; vectors, scalars and embedding tables do not.
   */
  public static List<ParamGroup> standard(Module model, double weightDecay) {
    Set<String> embeddings = embeddingParameters(model);
    Map<String, Tensor> decay = new LinkedHashMap<>();
    Map<String, Tensor> noDecay = new LinkedHashMap<>();
    model
        .namedParameters()
        .forEach((n, p) -> (decays(n, p, embeddings) ? decay : noDecay).put(n, p));
    return List.of(
        new ParamGroup(DECAY, decay, weightDecay, 1.0),
        new ParamGroup(NO_DECAY, noDecay, 0.0, 1.0));
  }

  /**
   * Whether a parameter gets weight decay. It does not when (1) it has fewer than 2 dimensions
   * (biases, norm gains, scalars), (2) it belongs to an {@link Embedding} module (token and
   * position tables), (3) its own name — the last dotted segment — contains "emb"
   * (case-insensitive), for positional embeddings registered as raw parameters ({@code pos_emb},
   * {@code pos_embed}), or (4) its own name ends in "bias": biases of any shape, such as Mamba-3's
   * per-head {@code B_bias} and {@code C_bias} (H, 1, N), which start at 1 and would otherwise be
   * pulled towards 0. Everything else (Linear/conv weights, projections) decays.
   */
  public static boolean decays(String name, Tensor p, Set<String> embeddingParameters) {
    if (p.dim() < 2) return false;
    if (embeddingParameters.contains(name)) return false;
    String own = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return !own.contains("emb") && !own.endsWith("bias");
  }

  /**
   * Dotted names of every parameter that lives in an {@link Embedding} module below {@code model}.
   */
  public static Set<String> embeddingParameters(Module model) {
    Set<String> out = new HashSet<>();
    collectEmbeddings(model, "", out);
    return out;
  }

  private static void collectEmbeddings(Module m, String prefix, Set<String> out) {
    if (m instanceof Embedding) m.namedParameters().keySet().forEach(n -> out.add(prefix + n));
    m.children().forEach((n, c) -> collectEmbeddings(c, prefix + n + ".", out));
  }
}
