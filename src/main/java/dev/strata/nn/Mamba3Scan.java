package dev.strata.nn;

import static dev.strata.nn.Ops.pad;
import static dev.strata.nn.Ops.rsub;
import static dev.strata.nn.Ops.sum;

/**
 * The SISO scan of Mamba-3 (Lahoti et al. 2026, arXiv:2603.15569, the exponential-trapezoidal
 * recurrence). Per head, with a state {@code h} of shape (P, N), already rotated {@code k̃, q̃}
 * (see {@link Mamba3Mixer}), α_t = exp(Δ_t·A_t) and λ_t ∈ (0, 1):
 *
 * <pre>
 *   h_t = α_t·h_{t−1} + (1−λ_t)·Δ_t·α_t·v_{t−1}·k̃_{t−1}ᵀ + λ_t·Δ_t·v_t·k̃_tᵀ
 *   y_t = h_t·q̃_t + D·v_t
 * </pre>
 *
 * {@link #chunked} runs a whole sequence through Mamba-2's chunked SSD ({@link
 * Ssd#chunkedWithDecay}): input {@code v_s·k̃_sᵀ} enters h_s with weight λ_s·Δ_s and h_{s+1} with
 * σ_{s+1}·α_{s+1}, where σ_t = (1−λ_t)·Δ_t. So one SSD with input weight w_s = λ_s·Δ_s + σ_{s+1}
 * computes H_t = h_t + σ_{t+1}·v_t·k̃_tᵀ, and {@code y_t = H_t·q̃_t − σ_{t+1}·(k̃_t·q̃_t)·v_t}; the
 * carried (k̃, v) of a decode state enter as {@code h_0 + σ_1·v_0·k̃_0ᵀ}. {@link #step} is the
 * recurrence itself, one token at a time. λ = null means λ ≡ 1 (exponential Euler): then σ = 0 and
 * the scan is exactly Mamba-2's.
 */
public final class Mamba3Scan {
  private Mamba3Scan() {}

  /**
   * Outputs {@code y} (B, T, H, P) or (B, H, P) for a step, and the state h after the last token
   * (B, H, P, N).
   */
  public record Output(Tensor y, Tensor state) {}

  /**
   * The scan over a whole sequence.
   *
   * @param v inputs (B, T, H, P)
   * @param logDecay Δ_t·A_t (B, T, H), ≤ 0
   * @param dt Δ_t (B, T, H), positive
   * @param lambda λ_t (B, T, H) in (0, 1), or null for λ ≡ 1
   * @param k rotated input projections k̃ (B, T, H, N)
   * @param q rotated output projections q̃ (B, T, H, N)
   * @param d skip weights D (H), or null for none
   * @param h0 state before the first token (B, H, P, N), or null for zeros
   * @param kPrev k̃ of the token before the first (B, H, N), or null (zeros, as at t = 0)
   * @param vPrev v of the token before the first (B, H, P), or null
   * @param chunk chunk length Q of the SSD
   */
  public static Output chunked(
      Tensor v,
      Tensor logDecay,
      Tensor dt,
      Tensor lambda,
      Tensor k,
      Tensor q,
      Tensor d,
      Tensor h0,
      Tensor kPrev,
      Tensor vPrev,
      long chunk) {
    long t = v.size(1);
    if (lambda == null) return ssd(v, logDecay, dt, k, q, d, h0, chunk);
    Tensor sigma = rsub(1, lambda).mul(dt); // (B, T, H) σ_t = (1−λ_t)·Δ_t
    Tensor sigmaNext =
        pad(sigma.narrow(1, 1, t - 1), 0, 0, 0, 1); // (B, T, H) σ_{t+1}, 0 after the last token
    Tensor weight = lambda.mul(dt).add(sigmaNext); // (B, T, H) w_s = λ_s·Δ_s + σ_{s+1}
    Tensor start = h0;
    if (kPrev != null && vPrev != null) {
      Tensor carried =
          vPrev
              .unsqueeze(-1)
              .mul(kPrev.unsqueeze(-2))
              .mul(sigma.select(1, 0).unsqueeze(-1).unsqueeze(-1));
      start = h0 == null ? carried : h0.add(carried); // (B, H, P, N) h_0 + σ_1·v_0·k̃_0ᵀ
    }
    Output out = ssd(v, logDecay, weight, k, q, d, start, chunk);
    Tensor diagonal = sum(k.mul(q), false, -1).mul(sigmaNext); // (B, T, H) σ_{t+1}·(k̃_t·q̃_t)
    return new Output(out.y().sub(v.mul(diagonal.unsqueeze(-1))), out.state());
  }

  private static Output ssd(
      Tensor v,
      Tensor logDecay,
      Tensor weight,
      Tensor k,
      Tensor q,
      Tensor d,
      Tensor h0,
      long chunk) {
    Ssd.Output o = Ssd.chunkedWithDecay(v, logDecay, weight, k, q, d, h0, chunk);
    return new Output(o.y(), o.state());
  }

  /**
   * One token of the recurrence.
   *
   * @param v input (B, H, P)
   * @param logDecay Δ·A (B, H)
   * @param dt Δ (B, H)
   * @param lambda λ (B, H), or null for λ ≡ 1
   * @param k rotated k̃ (B, H, N)
   * @param q rotated q̃ (B, H, N)
   * @param d skip weights D (H), or null
   * @param h state before this token (B, H, P, N)
   * @param kPrev k̃ of the previous token (B, H, N)
   * @param vPrev v of the previous token (B, H, P)
   * @return {@code y} (B, H, P) and the state after this token (B, H, P, N)
   */
  public static Output step(
      Tensor v,
      Tensor logDecay,
      Tensor dt,
      Tensor lambda,
      Tensor k,
      Tensor q,
      Tensor d,
      Tensor h,
      Tensor kPrev,
      Tensor vPrev) {
    Tensor alpha = logDecay.exp().unsqueeze(-1).unsqueeze(-1); // (B, H, 1, 1)
    Tensor gamma = lambda == null ? dt : lambda.mul(dt); // (B, H) λ·Δ
    Tensor next =
        h.mul(alpha)
            .add(v.unsqueeze(-1).mul(k.unsqueeze(-2)).mul(gamma.unsqueeze(-1).unsqueeze(-1)));
    if (lambda != null) {
      Tensor beta =
          rsub(1, lambda).mul(dt).unsqueeze(-1).unsqueeze(-1).mul(alpha); // (B, H, 1, 1) (1−λ)·Δ·α
      next = next.add(vPrev.unsqueeze(-1).mul(kPrev.unsqueeze(-2)).mul(beta));
    }
    Tensor y = next.matmul(q.unsqueeze(-1)).squeeze(-1); // (B, H, P)
    if (d != null) y = y.addcmul(v, d.view(-1, 1));
    return new Output(y, next);
  }
}
