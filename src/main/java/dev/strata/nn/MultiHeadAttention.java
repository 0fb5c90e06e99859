package dev.strata.nn;

import static dev.strata.nn.Ops.sdpa;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017, §3.2.2) with one fused q/k/v
 * projection, optional rotary positions ({@link Rope}), causal or bidirectional, and a {@link
 * KvCache} path for incremental decoding.
 *
 * <p>{@code qkv.weight} stacks W_q, W_k, W_v (each {@code (dim, dim)}, head-major rows), so {@code
 * qkv(x).view(B, T, 3, H, hd)} splits them as PyTorch's {@code chunk(3)} would.
 */
public final class MultiHeadAttention extends Module {
  public final long dim;
  public final long heads;
  public final long headDim;
  public final boolean causal;
  public final double dropout; // on the attention weights, in training mode
  public final Linear qkv; // dim → 3·dim
  public final Linear proj; // dim → dim
  public final Rope rope; // null without rotary positions

  public MultiHeadAttention(AttentionConfig c) {
    this.dim = c.dim();
    this.heads = c.heads();
    this.headDim = c.headDim();
    this.causal = c.causal();
    this.dropout = c.dropout();
    this.qkv = child("qkv", new Linear(dim, 3 * dim, c.bias()));
    this.proj = child("proj", new Linear(dim, dim, c.bias()));
    this.rope = c.rope() ? new Rope(headDim) : null;
  }

  /** With biases and no dropout. */
  public MultiHeadAttention(long dim, long heads, boolean causal, boolean rope) {
    this(AttentionConfig.causal(dim, heads).withCausal(causal).withRope(rope));
  }

  /** (B, T, dim) → (B, T, dim); causal or bidirectional as configured. */
  public Tensor forward(Tensor x) {
    return forwardMasked(x, null);
  }

  /**
   * (B, T, dim) → (B, T, dim) where query i may attend to key j only where {@code mask} (bool,
   * broadcastable to (B, H, T, T), e.g. key padding as (B, 1, 1, T)) is true; in a causal layer the
   * causal mask applies as well. A query that may attend to no key yields NaN.
   */
  public Tensor forwardMasked(Tensor x, Tensor mask) {
    long b = x.size(0);
    long t = x.size(1);
    Tensor[] qkv = projectQkv(x, 0);
    if (causal && mask != null) mask = mask.logical_and(causalMask(t, 0));
    Tensor y =
        sdpa(
            qkv[0], qkv[1], qkv[2], mask, causal && mask == null, activeDropout()); // (B, H, T, hd)
    return merge(y, b, t);
  }

  /**
   * (B, T, dim) → (B, T, dim) for the T tokens that follow the {@code cache.position()} tokens
   * already cached: appends their keys and values to {@code cache}, then attends over all of it.
   */
  public Tensor forward(Tensor x, KvCache cache) {
    long b = x.size(0);
    long t = x.size(1);
    long p = cache.position();
    Tensor[] qkv = projectQkv(x, p);
    cache.append(qkv[1], qkv[2]);
    Tensor k = cache.keys(); // (B, H, p+T, hd)
    Tensor v = cache.values();
    // libtorch aligns is_causal top-left, which is right only when queries and keys start together.
    Tensor y;
    if (!causal || t == 1) {
      y = sdpa(qkv[0], k, v, null, false, 0.0); // a single newest query may see every cached key
    } else if (p == 0) {
      y = sdpa(qkv[0], k, v, null, true, 0.0);
    } else {
      y = sdpa(qkv[0], k, v, causalMask(t, p), false, 0.0); // chunked prefill after cached tokens
    }
    return merge(y, b, t);
  }

  /** An empty cache for {@code batch} sequences of at most {@code maxLen} tokens. */
  public KvCache newCache(long batch, long maxLen) {
    return new KvCache(batch, heads, maxLen, headDim);
  }

  /**
   * (B, T, dim) → q, k, v, each (B, H, T, hd), q and k rotated to positions offset … offset+T−1.
   */
  private Tensor[] projectQkv(Tensor x, long offset) {
    long b = x.size(0);
    long t = x.size(1);
    Tensor all =
        qkv.forward(x).view(b, t, 3, heads, headDim).permute(2, 0, 3, 1, 4); // (3, B, H, T, hd)
    Tensor qk = all.narrow(0, 0, 2); // (2, B, H, T, hd)
    if (rope != null) qk = rope.apply(qk, offset); // q and k in one pass
    return new Tensor[] {qk.select(0, 0), qk.select(0, 1), all.select(0, 2)};
  }

  /** (B, H, T, hd) → heads concatenated and projected: (B, T, dim). */
  private Tensor merge(Tensor y, long b, long t) {
    return proj.forward(y.transpose(1, 2).reshape(b, t, dim));
  }

  /** (T, offset+T) bool: query i, at absolute position offset+i, sees keys 0 … offset+i. */
  private static Tensor causalMask(long t, long offset) {
    Tensor keyPos = Ops.arange(offset + t); // int64, so the comparison is exact
    return keyPos.unsqueeze(0).le(keyPos.narrow(0, offset, t).unsqueeze(1));
  }

  private double activeDropout() {
    return isTraining() ? dropout : 0.0;
  }
}
