package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.AttentionConfig;
import dev.strata.nn.Embedding;
import dev.strata.nn.HybridStack;
import dev.strata.nn.LayerKind;
import dev.strata.nn.LayerNorm;
import dev.strata.nn.LayerState;
import dev.strata.nn.Linear;
import dev.strata.nn.Mamba2Block;
import dev.strata.nn.Mamba3Block;
import dev.strata.nn.MemoryBlock;
import dev.strata.nn.MemoryConfig;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.RMSNorm;
import dev.strata.nn.Scope;
import dev.strata.nn.SequenceLayer;
import dev.strata.nn.Tensor;
import dev.strata.nn.TransformerBlock;

/**
 * An autoregressive language model over any backbone of {@link dev.strata.nn.SequenceLayer}s: token
 * embedding → {@link HybridStack} → final norm → untied linear head. Decoding continues from the
 * layers' states (KV caches, SSM states) instead of re-running the prefix.
 */
public final class CausalLm extends Module {
  public final LmConfig config;
  public final Embedding tokEmb;
  public final HybridStack layers;
  private final Module
      norm; // LayerNorm for pure attention stacks, RMSNorm when Mamba-2 or Mamba-3 layers are
  // present
  public final Linear head;

  public CausalLm(LmConfig config) {
    this.config = config;
    this.tokEmb = child("tok_emb", new Embedding(config.vocab(), config.dModel()));
    this.layers = child("layers", new HybridStack(config.pattern(), kind -> layer(kind, config)));
    this.norm =
        config.hasSsm()
            ? child("norm", new RMSNorm(config.dModel()))
            : child("norm", new LayerNorm(config.dModel()));
    this.head = child("head", new Linear(config.dModel(), config.vocab(), false));
    try (var g = noGrad()) { // GPT-2 init for the token table and head: N(0, 0.02)
      tokEmb.weight.copy_(normal(0.02, config.vocab(), config.dModel()));
      head.weight.copy_(normal(0.02, config.vocab(), config.dModel()));
    }
  }

  /** A new layer of {@code kind}, sized by {@code config}. */
  private static SequenceLayer layer(LayerKind kind, LmConfig config) {
    return switch (kind) {
      case ATTENTION ->
          new TransformerBlock(
              AttentionConfig.causal(config.dModel(), config.heads())
                  .withDropout(config.dropout()));
      case MAMBA2 -> new Mamba2Block(config.mamba2Config(), config.dropout());
      case MAMBA3 -> new Mamba3Block(config.mamba3Config(), config.dropout());
      case MEMORY -> new MemoryBlock(memoryConfig(config), config.dropout());
    };
  }

  /** The test-time memory of the model's T layers. */
  public static MemoryConfig memoryConfig(LmConfig c) {
    LmConfig.Memory m = c.memory();
    return new MemoryConfig(
        c.dModel(), m.heads(), m.headDim(), m.chunk(), m.convKernel(), m.rule());
  }

  private Tensor finalNorm(Tensor h) {
    return norm instanceof RMSNorm r ? r.forward(h) : ((LayerNorm) norm).forward(h);
  }

  /** int64 ids (B, T) → logits (B, T, V). */
  public Tensor logits(Tensor ids) {
    return head.forward(hidden(ids)); // (B, T, V)
  }

  /**
   * int64 ids (B, T) → the final normalised hidden states (B, T, D) the head reads (features for
   * value heads).
   */
  public Tensor hidden(Tensor ids) {
    return finalNorm(layers.forward(tokEmb.forward(ids))); // (B, T, D)
  }

  /**
   * Continues from {@code state}: ids (B, T) → final hidden states (B, T, D), the state advanced by
   * T.
   */
  public Tensor hidden(Tensor ids, LayerState state) {
    return finalNorm(layers.forward(tokEmb.forward(ids), state));
  }

  /**
   * Logits at chosen positions only: ids (B, T) and int64 flat indices b·T + t (M) → (M, V). The
   * hidden states are gathered before the head, so a task scored at a few positions (MQAR's
   * queries) never pays for a (B, T, V) head.
   */
  public Tensor logitsAt(Tensor ids, Tensor flatPositions) {
    Tensor h = hidden(ids); // (B, T, D)
    return head.forward(h.reshape(-1, config.dModel()).index_select(0, flatPositions)); // (M, V)
  }

  /** Mean next-token cross-entropy in nats: ids and targets (B, T). */
  public Tensor loss(Tensor ids, Tensor targets) {
    Tensor logits = logits(ids); // (B, T, V)
    return crossEntropy(logits.view(-1, config.vocab()), targets.view(-1));
  }

  /** A decode state for {@code batch} sequences of up to {@code maxLen} tokens. */
  public LayerState newState(long batch, long maxLen) {
    return layers.newState(batch, maxLen);
  }

  /** Continues from {@code state}: ids (B, T) → logits (B, T, V) and the state advanced by T. */
  public Tensor logits(Tensor ids, LayerState state) {
    return head.forward(hidden(ids, state));
  }

  /** Sampling settings: temperature 0 means greedy; topK 0 means the full distribution. */
  public record Sampling(double temperature, int topK, long seed) {
    public Sampling {
      if (temperature < 0)
        throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
      if (topK < 0) throw new IllegalArgumentException("top-k must be ≥ 0, got " + topK);
    }
  }

  /**
   * Continues {@code prompt} by {@code newTokens} tokens: one prefill over the prompt, then one
   * incremental step per token from the layers' decode states.
   */
  public long[] generate(long[] prompt, int newTokens, Sampling sampling) {
    return generate(prompt, 1, newTokens, sampling)[0];
  }

  /**
   * {@code batch} independent continuations of one prompt, decoded together: one prefill over the
   * batch, then one forward pass over the batch per token.
   *
   * @return the new tokens (batch, newTokens)
   */
  public long[][] generate(long[] prompt, int batch, int newTokens, Sampling sampling) {
    if (prompt.length == 0)
      throw new IllegalArgumentException("the prompt is empty; give at least one token");
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    if (newTokens < 0)
      throw new IllegalArgumentException("new tokens must be ≥ 0, got " + newTokens);
    boolean wasTraining = isTraining();
    eval();
    Ops.seed(sampling.seed());
    long[][] out = new long[batch][newTokens];
    long[] rows = new long[batch * prompt.length];
    for (int b = 0; b < batch; b++)
      System.arraycopy(prompt, 0, rows, b * prompt.length, prompt.length);
    try (var g = noGrad();
        LayerState state = newState(batch, prompt.length + newTokens)) {
      long[] next;
      try (Scope s = Ops.scope()) {
        Tensor logits = logits(tensor(rows, batch, prompt.length), state); // (B, P, V)
        next = sampleRows(logits.select(1, prompt.length - 1), sampling);
      }
      for (int i = 0; i < newTokens; i++) {
        for (int b = 0; b < batch; b++) out[b][i] = next[b];
        if (i == newTokens - 1) break;
        try (Scope s = Ops.scope()) {
          Tensor logits = logits(tensor(next, batch, 1), state); // (B, 1, V)
          next = sampleRows(logits.select(1, 0), sampling);
        }
      }
    } finally {
      train(wasTraining);
    }
    return out;
  }

  /** Draws one id per row from (B, V) logits. */
  static long[] sampleRows(Tensor logits, Sampling s) {
    if (s.temperature() == 0) return longs(argmax(logits, -1));
    return longs(
        multinomial(softmax(topK(div(logits, s.temperature()), s.topK()), -1), 1).squeeze(-1));
  }

  /** Logits outside each row's k largest set to −∞ (k = 0 or ≥ V: unchanged). */
  private static Tensor topK(Tensor scaled, int k) {
    if (k <= 0 || k >= scaled.size(-1)) return scaled;
    Tensor kth = topk(scaled, k)[0].narrow(-1, k - 1, 1); // values sorted descending
    return where(scaled.lt(kth), fullLike(scaled, Double.NEGATIVE_INFINITY), scaled);
  }
}
