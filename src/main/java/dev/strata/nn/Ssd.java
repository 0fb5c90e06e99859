package dev.strata.nn;

import static dev.strata.nn.Ops.addInPlace;
import static dev.strata.nn.Ops.bmm;
import static dev.strata.nn.Ops.chunk;
import static dev.strata.nn.Ops.pad;

/**
 * The state-space dual (SSD) scan of Mamba-2 (Dao &amp; Gu 2024, "Transformers are SSMs", §6).
 *
 * <p>Per head, with a state {@code h} of shape (P, N) and a scalar decay rate {@code A < 0}:
 *
 * <pre>
 *   h_t = exp(Δ_t·A)·h_{t−1} + Δ_t·x_t·B_tᵀ
 *   y_t = h_t·C_t + D·x_t
 * </pre>
 *
 * {@link #chunked} computes this for a whole sequence with matmuls over chunks of Q tokens (the
 * paper's block decomposition of the semiseparable matrix); {@link #step} advances it one token.
 * Both agree to float32 rounding. Heads are split into G groups that share B and C (like
 * grouped-query attention): head {@code i} reads group {@code i / (H/G)}.
 */
public final class Ssd {
  private Ssd() {}

  /** Outputs {@code y} (B, T, H, P) and the state after the last token (B, H, P, N). */
  public record Output(Tensor y, Tensor state) {}

  /**
   * The SSD scan over a whole sequence, chunk by chunk (the spec's four steps). Every large tensor
   * is touched by one batched op per step, so the cost is a few batched matmuls (over chunks, and
   * heads or head groups) and memory passes.
   *
   * @param x inputs (B, T, H, P)
   * @param dt step sizes Δ (B, T, H), already positive (softplus applied)
   * @param a decay rates A (H), negative
   * @param b input projections B (B, T, G, N)
   * @param c output projections C (B, T, G, N)
   * @param d skip weights D (H), or null for none
   * @param initialState state before the first token (B, H, P, N), or null for zeros
   * @param chunk chunk length Q; T need not be a multiple of it
   */
  public static Output chunked(
      Tensor x,
      Tensor dt,
      Tensor a,
      Tensor b,
      Tensor c,
      Tensor d,
      Tensor initialState,
      long chunk) {
    return chunkedWithDecay(x, dt.mul(a), dt, b, c, d, initialState, chunk);
  }

  /**
   * The same chunked scan with a log-decay and an input weight given per token and head: {@code h_t
   * = exp(a_t)·h_{t−1} + w_t·x_t·B_tᵀ}, {@code y_t = h_t·C_t + D·x_t}. Mamba-2 is {@code a_t =
   * Δ_t·A}, {@code w_t = Δ_t}; Mamba-3 has a data-dependent A and a trapezoidal input weight
   * ({@link Mamba3Scan}).
   *
   * @param x inputs (B, T, H, P)
   * @param logDecay a_t (B, T, H), ≤ 0
   * @param weight w_t (B, T, H)
   * @param b input projections B (B, T, G, N)
   * @param c output projections C (B, T, G, N)
   * @param d skip weights D (H), or null for none
   * @param initialState state before the first token (B, H, P, N), or null for zeros
   * @param chunk chunk length Q; T need not be a multiple of it
   */
  public static Output chunkedWithDecay(
      Tensor x,
      Tensor logDecay,
      Tensor weight,
      Tensor b,
      Tensor c,
      Tensor d,
      Tensor initialState,
      long chunk) {
    long batch = x.size(0), t = x.size(1), heads = x.size(2), p = x.size(3);
    long groups = b.size(2), n = b.size(3), perGroup = heads / groups;
    long q = chunk, chunks = (t + q - 1) / q, padded = chunks * q;
    if (padded != t) {
      // a = 0 and w = 0 at the padding: no decay and no input, so the final state is unchanged.
      x = pad(x, 0, 0, 0, 0, 0, padded - t);
      logDecay = pad(logDecay, 0, 0, 0, padded - t);
      weight = pad(weight, 0, 0, 0, padded - t);
      b = pad(b, 0, 0, 0, 0, 0, padded - t);
      c = pad(c, 0, 0, 0, 0, 0, padded - t);
    }
    long blocks = batch * chunks * groups; // the (batch, chunk, group) blocks that share B and C
    Tensor xc = x.reshape(batch, chunks, q, heads, p); // (B, c, Q, H, P)
    Tensor wc =
        weight.reshape(batch, chunks, q, heads); // (B, c, Q, H) input weights (Δ for Mamba-2)
    Tensor acs =
        logDecay
            .reshape(batch, chunks, q, heads)
            .cumsum(2); // (B, c, Q, H) log-decay from the chunk start, ≤ 0
    Tensor bc =
        b.view(batch, chunks, q, groups, n).transpose(2, 3).reshape(blocks, q, n); // (BcG, Q, N)
    Tensor cc =
        c.view(batch, chunks, q, groups, n).transpose(2, 3).reshape(blocks, q, n); // (BcG, Q, N)

    // 1. Intra-chunk: Y_diag[l] = Σ_{s≤l} (C_l·B_s)·exp(acs_l − acs_s)·X̄_s, a masked Q×Q matmul
    // per head.
    Tensor decay =
        segmentDecay(
            acs.transpose(2, 3)
                .contiguous()); // (B, c, H, Q, Q); a small copy so the big ones are dense
    Tensor scores =
        bmm(cc, bc.transpose(1, 2))
            .view(batch, chunks, groups, 1, q, q); // C·Bᵀ, shared by a group's heads
    Tensor mixing =
        decay.view(batch, chunks, groups, perGroup, q, q).mul(scores).view(-1, q, q); // (BcH, Q, Q)
    Tensor xbar =
        xc.mul(wc.unsqueeze(-1)).permute(0, 1, 3, 2, 4).reshape(-1, q, p); // (BcH, Q, P) X̄ = w·x
    Tensor yDiag = bmm(mixing, xbar).view(batch, chunks, heads, q, p); // (B, c, H, Q, P)

    // 2. Chunk states, kept transposed: S_cᵀ = Σ_s B_s·exp(acs_{Q−1} − acs_s)·w_s·x_sᵀ, (N × Q)·(Q
    // × H·P/G) per block.
    Tensor toEnd = acs.narrow(2, q - 1, 1).sub(acs).exp().mul(wc); // (B, c, Q, H)
    Tensor weighted =
        xc.mul(toEnd.unsqueeze(-1)) // (B, c, Q, H, P)
            .view(batch, chunks, q, groups, perGroup * p)
            .transpose(2, 3)
            .reshape(blocks, q, perGroup * p);
    Tensor chunkStates =
        bmm(bc.transpose(1, 2), weighted)
            .view(batch, chunks, groups, n, perGroup, p); // (B, c, G, N, H/G, P)

    // 3. Inter-chunk recurrence: h_{c+1} = exp(acs_{Q−1})·h_c + S_c, over T/Q chunks.
    Tensor[] chunkDecay =
        chunk(acs.select(2, q - 1).exp().view(batch, chunks, groups, 1, perGroup, 1), chunks, 1);
    Tensor[] stateParts = chunk(chunkStates, chunks, 1); // c × (B, 1, G, N, H/G, P)
    Tensor[] entering = new Tensor[(int) chunks];
    Tensor state =
        initialState != null
            ? initialState
                .reshape(batch, 1, groups, perGroup, p, n)
                .permute(0, 1, 2, 5, 3, 4) // (B, 1, G, N, H/G, P)
            : Ops.zerosLike(stateParts[0]);
    for (int ci = 0; ci < chunks; ci++) {
      entering[ci] = state;
      state = stateParts[ci].addcmul(state, chunkDecay[ci]);
    }
    Tensor stateIn =
        Ops.cat(1, entering).view(blocks, n, perGroup * p); // (BcG, N, H·P/G), entering each chunk

    // 4. y = Y_diag + Y_off + D·x, with Y_off[l] = exp(acs_l)·C_l·h_c read from the state entering
    // the chunk.
    Tensor yOff =
        bmm(cc, stateIn) // (BcG, Q, H·P/G)
            .view(batch, chunks, groups, q, perGroup * p)
            .transpose(2, 3)
            .reshape(batch, chunks, q, heads, p);
    Tensor y = yOff.mul(acs.exp().unsqueeze(-1)).add(yDiag.transpose(2, 3)); // (B, c, Q, H, P)
    if (d != null) y = y.addcmul(xc, d.view(heads, 1));
    y = y.reshape(batch, padded, heads, p);
    Tensor finalState =
        state.permute(0, 1, 2, 4, 5, 3).reshape(batch, heads, p, n); // back to (B, H, P, N)
    return new Output(padded == t ? y : y.narrow(1, 0, t), finalState);
  }

  /**
   * {@code L[…, l, s] = exp(acs_l − acs_s)} for s ≤ l and 0 above the diagonal: the decay from step
   * s to step l. The differences above the diagonal become −∞ before the exponential, so nothing
   * overflows and no gradient is NaN. (…, Q) → (…, Q, Q).
   */
  static Tensor segmentDecay(Tensor acs) {
    long q = acs.size(-1);
    Tensor future =
        Ops.triu(
            Ops.full(Ops.dtype(acs), Double.NEGATIVE_INFINITY, q, q), 1); // −∞ where s > l, else 0
    // acs_l + (−acs_s): negating the small operand spares the backward a negation of the (Q, Q)
    // gradient.
    Tensor diff = acs.unsqueeze(-1).add(acs.neg().unsqueeze(-2)); // (…, Q, Q)
    addInPlace(
        diff, future,
        1); // in place: one pass fewer than masked_fill, and add's backward does not need diff
    return diff.exp();
  }

  /**
   * One token of the recurrence.
   *
   * @param x input (B, H, P)
   * @param dt step size Δ (B, H), positive
   * @param a decay rates A (H), negative
   * @param b input projection B (B, G, N)
   * @param c output projection C (B, G, N)
   * @param d skip weights D (H), or null for none
   * @param state state before this token (B, H, P, N)
   * @return {@code y} (B, H, P) and the state after this token (B, H, P, N)
   */
  public static Output step(
      Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor d, Tensor state) {
    long batch = x.size(0), heads = x.size(1), p = x.size(2);
    long groups = b.size(1), n = b.size(2), perGroup = heads / groups;
    Tensor decay = dt.mul(a).exp().view(batch, groups, perGroup, 1, 1); // exp(Δ·A)
    Tensor xbar = x.mul(dt.unsqueeze(-1)).view(batch, groups, perGroup, p, 1); // Δ·x
    Tensor next = state.reshape(batch, groups, perGroup, p, n).mul(decay); // (B, G, H/G, P, N)
    next.addcmul_(xbar, b.view(batch, groups, 1, 1, n)); // in place on a fresh tensor: one op less
    Tensor y =
        next.view(batch, groups, perGroup * p, n)
            .matmul(c.reshape(batch, groups, n, 1))
            .view(batch, heads, p);
    if (d != null) y = y.addcmul(x, d.view(heads, 1));
    return new Output(y, next.view(batch, heads, p, n));
  }
}
