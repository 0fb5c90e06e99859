package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.AttentionConfig;
import dev.strata.nn.DType;
import dev.strata.nn.Embedding;
import dev.strata.nn.HybridStack;
import dev.strata.nn.LayerKind;
import dev.strata.nn.LayerNorm;
import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.SequenceLayer;
import dev.strata.nn.Tensor;
import dev.strata.nn.TransformerBlock;

/**
 * A masked-diffusion language model (MDLM, Sahoo et al. 2024; LLaDA, Nie et al. 2025): token
 * embedding over V + 1 ids (the last is [MASK]) → a {@link HybridStack} of bidirectional {@link
 * TransformerBlock}s with rotary positions → final LayerNorm → an untied head over the V clean
 * tokens. The head has no column for [MASK], which is SUBS's "mask logit −∞". With SUBS (the plain
 * model) an unmasked input token is copied through: its distribution is a point mass. The editing
 * variant (LLaDA 2.1, {@link DiffusionConfig#editFraction} &gt; 0) is trained on randomly replaced
 * tokens as well and predicts every position, so a decoded token can be revised.
 *
 * <p>Training (MDLM/LLaDA): per sequence t ~ U(0, 1), stratified over the batch (t_b = (u + b)/B
 * mod 1, MDLM's low-discrepancy sampler), each token masked with probability p = (1 − ε)t + ε, loss
 * Σ_masked CE / p averaged over B·T. Its expectation is the negative ELBO per token: the
 * continuous-time bound weights the masked cross-entropy by p'/p = (1 − ε)/p and adds the
 * reconstruction term at p = ε; the extra ε/p covers that term in expectation.
 */
public final class MaskedDiffusionLm extends Module implements Denoiser {
  /** ε of the masking schedule p = (1 − ε)t + ε. */
  public static final double EPS = 1e-3;

  public final DiffusionConfig config;
  public final Embedding tokEmb;
  public final HybridStack layers;
  public final LayerNorm norm;
  public final Linear head;

  public MaskedDiffusionLm(DiffusionConfig config) {
    this.config = config;
    this.tokEmb = child("tok_emb", new Embedding(config.vocab() + 1, config.dModel()));
    AttentionConfig block =
        AttentionConfig.bidirectional(config.dModel(), config.heads())
            .withRope(true)
            .withDropout(config.dropout());
    this.layers =
        child(
            "layers",
            new HybridStack(
                String.valueOf(LayerKind.ATTENTION.letter).repeat(config.depth()),
                kind -> attentionOnly(kind, block)));
    this.norm = child("norm", new LayerNorm(config.dModel()));
    this.head = child("head", new Linear(config.dModel(), config.vocab(), false));
    try (var g = noGrad()) { // GPT-2 init for the token table and head: N(0, 0.02)
      tokEmb.weight.copy_(normal(0.02, config.vocab() + 1, config.dModel()));
      head.weight.copy_(normal(0.02, config.vocab(), config.dModel()));
    }
  }

  /** The denoiser is bidirectional attention throughout: no other layer kind. */
  private static SequenceLayer attentionOnly(LayerKind kind, AttentionConfig block) {
    if (kind != LayerKind.ATTENTION)
      throw new IllegalArgumentException(
          "a masked-diffusion LM has attention layers only, not " + kind.description);
    return new TransformerBlock(block);
  }

  @Override
  public int vocab() {
    return config.vocab();
  }

  /**
   * int64 x_t (B, T) with [MASK] = V → the head's logits over the clean tokens (B, T, V), no
   * copy-through.
   */
  public Tensor logits(Tensor xt) {
    return head.forward(norm.forward(layers.forward(tokEmb.forward(xt)))); // (B, T, V)
  }

  /**
   * int64 x_t (B, T) → log-probabilities (B, T, V). SUBS for the plain model: unmasked positions
   * are a point mass on their token (log 1 there, −∞ elsewhere). The editing model returns its own
   * prediction everywhere.
   */
  @Override
  public Tensor logProbs(Tensor xt) {
    Tensor logp = logSoftmax(logits(xt), -1); // (B, T, V)
    if (config.editing()) return logp;
    Tensor unmasked = ne(xt, (long) config.maskId()).unsqueeze(-1); // (B, T, 1)
    Tensor clean =
        where(unmasked.squeeze(-1), xt, zerosLike(xt))
            .unsqueeze(-1); // (B, T, 1), any valid id at masked positions
    Tensor point =
        full(Double.NEGATIVE_INFINITY, shape(logp))
            .scatter(-1, clean, zerosLike(logp)); // (B, T, V)
    return where(unmasked, point, logp);
  }

  /**
   * The training loss of clean ids x0 (B, T): masked CE / p, plus LLaDA 2.1's corrupted-token CE
   * for an editing model.
   */
  public Tensor loss(Tensor x0) {
    return objective(x0, null, config.editFraction(), 0);
  }

  /**
   * The training loss of a conditional model: only positions where {@code maskable} (bool (B, T))
   * is true are ever masked or replaced (the answer; the prompt stays visible), and the loss is
   * averaged over those positions.
   */
  public Tensor loss(Tensor x0, Tensor maskable) {
    return objective(x0, maskable, config.editFraction(), 0);
  }

  /**
   * A one-sample estimate of the negative ELBO in nats per token for clean ids x0 (B, T), with t
   * stratified over the batch; no random replacement, so it is the same bound for plain and editing
   * models.
   */
  public Tensor nelbo(Tensor x0) {
    return objective(x0, null, 0, 0);
  }

  /**
   * The conditional NELBO per maskable token: −log p(answer | prompt) bounded, divided by the
   * answer length.
   */
  public Tensor nelbo(Tensor x0, Tensor maskable) {
    return objective(x0, maskable, 0, 0);
  }

  /**
   * The conditional training loss with MGDM's token-level re-weighting (Ye et al., ICLR'25, "Beyond
   * Autoregression", §4: harder tokens weigh more): each masked token's cross-entropy ℓ = −log
   * p(x0) becomes α(1 − e^{−ℓ})^γ · ℓ (then weighted by 1/p as usual), a focal loss with the
   * official defaults α = 0.25 (here {@link #FOCAL_ALPHA}); γ = 0 gives {@link #loss(Tensor,
   * Tensor)}.
   */
  public Tensor loss(Tensor x0, Tensor maskable, double focalGamma) {
    return objective(x0, maskable, config.editFraction(), focalGamma);
  }

  /** α of MGDM's focal token weighting (the released code's default). */
  public static final double FOCAL_ALPHA = 0.25;

  /**
   * Denoising accuracy of a conditional model, for validation: x0 corrupted as in training
   * (stratified t, only {@code maskable} positions masked), then {correct argmax predictions,
   * masked positions} over the masked positions.
   */
  public long[] maskedAccuracy(Tensor x0, Tensor maskable) {
    Tensor[] c = corrupt(x0, maskable);
    Tensor pred = argmax(logits(c[0]), -1); // (B, T)
    long correct =
        (long) item(dev.strata.nn.Ops.to(pred.eq(x0).logical_and(c[1]), DType.FLOAT32).sum());
    long masked = (long) item(dev.strata.nn.Ops.to(c[1], DType.FLOAT32).sum());
    return new long[] {correct, masked};
  }

  /**
   * {x_t (B, T), masked (B, T) bool, p (B, 1)}: each maskable token masked with p = (1 − ε)t + ε, t
   * stratified over B.
   */
  private Tensor[] corrupt(Tensor x0, Tensor maskable) {
    long b = x0.size(0);
    long len = x0.size(1);
    Tensor t =
        remainder(add(div(arange(DType.FLOAT32, b), b), item(rand(1))), 1.0); // (B) stratified t
    Tensor p = add(mul(t, 1 - EPS), EPS).unsqueeze(1); // (B, 1)
    Tensor masked = rand(b, len).lt(p); // (B, T) bool
    if (maskable != null) masked = masked.logical_and(maskable);
    return new Tensor[] {where(masked, fullLike(x0, config.maskId()), x0), masked, p};
  }

  private Tensor objective(Tensor x0, Tensor maskable, double editFraction, double focalGamma) {
    long b = x0.size(0);
    long len = x0.size(1);
    Tensor[] c = corrupt(x0, maskable);
    Tensor xt = c[0];
    Tensor masked = c[1];
    Tensor p = c[2];
    Tensor replaced = null;
    if (editFraction
        > 0) { // LLaDA 2.1: corrupt a fraction of the unmasked tokens with uniform random ones
      replaced = lt(rand(b, len), editFraction).logical_and(masked.logical_not()); // (B, T) bool
      if (maskable != null) replaced = replaced.logical_and(maskable);
      xt = where(replaced, randint(0, config.vocab(), b, len), xt);
    }
    Tensor logp = logSoftmax(logits(xt), -1); // (B, T, V)
    Tensor nll = logp.gather(-1, x0.unsqueeze(-1)).squeeze(-1).neg(); // (B, T)
    Tensor weight =
        where(
            masked,
            p.reciprocal().expand(b, len),
            zerosLike(p).expand(b, len)); // (B, T): 1/p on masked
    if (replaced != null)
      weight = where(replaced, onesLike(weight), weight); // plain CE on replaced tokens
    if (focalGamma > 0) { // MGDM: ℓ → α(1 − e^{−ℓ})^γ · ℓ per token, before the 1/p weight
      nll = nll.mul(mul(pow(add(mul(nll.neg().exp(), -1), 1), focalGamma), FOCAL_ALPHA));
    }
    Tensor terms = nll.mul(weight); // (B, T)
    if (maskable == null) return terms.mean();
    return terms
        .sum()
        .div(
            clampMin(
                dev.strata.nn.Ops.to(maskable, DType.FLOAT32).sum(), 1)); // per maskable position
  }
}
