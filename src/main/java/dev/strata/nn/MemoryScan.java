package dev.strata.nn;

import static dev.strata.nn.Ops.mul;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The test-time memory update of Titans (Behrouz et al. 2024, "Titans: Learning to Memorize at
 * Test Time", §3.1–3.2), per head, with a linear memory {@code M} of shape (d_v, d_k):
 *
 * <pre>
 *   ℓ(M; k_t, v_t) = ‖M·k_t − v_t‖²,   ∇ℓ = 2(M·k_t − v_t)·k_tᵀ
 *   S_t = η_t·S_{t−1} − θ_t·∇ℓ(M_ref)                 surprise with momentum
 *   M_t = (1−α_t)·M_{t−1} + S_t                        forgetting
 *   y_t = M_t·q_t                                      read
 * </pre>
 *
 * Titans trains chunk-wise: within a chunk of C tokens every gradient is taken at the memory of
 * the chunk start, {@code M_ref = M_{chunk start}} (§3.2), so the update is a model of its own for
 * each C; with C = 1 it is the plain recurrence. With {@code decayedGradient} the gradient is taken
 * at the chunk-start memory decayed to step t, {@code M_ref = Π(1−α)·M_{chunk start}}: with C = 1
 * and η = 0 that is Gated DeltaNet (Yang et al. 2024), {@code M_t = (1−α_t)·M_{t−1}(I − β_t·k_t·k_tᵀ)
 * + β_t·v_t·k_tᵀ} with {@code β_t = 2θ_t}.
 *
 * <p>Within a chunk the gradients no longer depend on the memory, so the two recurrences are
 * linear in the rank-1 writes {@code u_i = −2θ_i·e_i·k_iᵀ} ({@code e_i = M_ref·k_i − v_i}): with
 * {@code A_{r→t} = Π_{j=r+1..t}(1−α_j)} and {@code B_{i→r} = Π_{j=i+1..r} η_j},
 *
 * <pre>
 *   M_t = A_{0→t}·M_0 + w_t·S_0 + Σ_{i≤t} W_{t,i}·u_i,   W = L_A·L_B,  w_t = Σ_{r≤t} A_{r→t}·B_{0→r}
 *   y_t = A_{0→t}·M_0·q_t + w_t·S_0·q_t + Σ_{i≤t} W_{t,i}·(k_i·q_t)·(−2θ_i·e_i)
 * </pre>
 *
 * — masked C×C matmuls per chunk, as in linear attention, and a loop over chunks (each chunk's
 * gradients need the memory the previous one left). {@link #step} advances one token with the
 * same chunk-boundary rule, so token-by-token decoding equals {@link #chunked}.
 *
 * <p>Layouts: queries and keys (B, T, H, d_k), values (B, T, H, d_v), gates (B, T, H); the memory
 * and surprise (B, H, d_v, d_k). Gates enter as logarithms ({@code log η}, {@code log(1−α)}), which
 * stay finite where a gate underflows.
 */
public final class MemoryScan {
  private MemoryScan() {}

  /**
   * What the update carries from token to token.
   *
   * @param memory M_t (B, H, d_v, d_k)
   * @param surprise S_t (B, H, d_v, d_k)
   * @param reference the memory the next gradient is taken at (B, H, d_v, d_k): the chunk-start
   *     memory, or with {@code decayedGradient} that memory decayed to step t
   */
  public record State(Tensor memory, Tensor surprise, Tensor reference) {
    /** All zeros: an empty memory. */
    public static State zeros(DType dtype, long batch, long heads, long dv, long dk) {
      return new State(Ops.zeros(dtype, batch, heads, dv, dk), Ops.zeros(dtype, batch, heads, dv, dk),
          Ops.zeros(dtype, batch, heads, dv, dk));
    }
  }

  /** Reads {@code y} (B, T, H, d_v) and the state after the last token. */
  public record Output(Tensor y, State state) {}

  /**
   * The update over T tokens in the chunked training form.
   *
   * @param q queries (B, T, H, d_k), unit norm in the layer
   * @param k keys (B, T, H, d_k), unit norm in the layer
   * @param v values (B, T, H, d_v)
   * @param logEta log η, the momentum gate (B, T, H), or null for none (η = 0)
   * @param theta θ &gt; 0, the step size of the gradient (B, T, H)
   * @param logDecay log(1−α), the forgetting gate (B, T, H), ≤ 0
   * @param initial the state before the first token, or null for an empty memory
   * @param offset position of the first token within its chunk (0 for a fresh sequence)
   * @param chunk C, the chunk length
   * @param decayedGradient take the gradient at the decayed memory (Gated DeltaNet) instead of the
   *     chunk-start memory (Titans)
   */
  public static Output chunked(Tensor q, Tensor k, Tensor v, Tensor logEta, Tensor theta, Tensor logDecay,
      State initial, long offset, long chunk, boolean decayedGradient) {
    if (chunk <= 0) throw new IllegalArgumentException("memory chunk must be positive, got " + chunk);
    if (offset < 0 || offset >= chunk) {
      throw new IllegalArgumentException("offset " + offset + " is not a position within a chunk of " + chunk);
    }
    long batch = q.size(0), t = q.size(1), heads = q.size(2), dk = q.size(3), dv = v.size(3);
    Tensor qh = q.transpose(1, 2), kh = k.transpose(1, 2), vh = v.transpose(1, 2); // (B, H, T, ·)
    Tensor lb = logEta == null ? null : logEta.transpose(1, 2); // (B, H, T)
    Tensor th = theta.transpose(1, 2), la = logDecay.transpose(1, 2); // (B, H, T)
    State s = initial != null ? initial : State.zeros(Ops.dtype(q), batch, heads, dv, dk);
    List<Tensor> ys = new ArrayList<>();
    long pos = offset;
    for (long start = 0; start < t; ) {
      long len = Math.min(t - start, chunk - pos); // up to the next chunk boundary
      Output seg = segment(qh.narrow(2, start, len), kh.narrow(2, start, len), vh.narrow(2, start, len),
          lb == null ? null : lb.narrow(2, start, len), th.narrow(2, start, len), la.narrow(2, start, len), s,
          decayedGradient);
      ys.add(seg.y());
      s = seg.state();
      pos += len;
      start += len;
      if (pos == chunk) { // a chunk boundary: the next gradients are taken at the memory reached here
        s = new State(s.memory(), s.surprise(), s.memory());
        pos = 0;
      }
    }
    Tensor y = ys.size() == 1 ? ys.getFirst() : Ops.cat(2, ys); // (B, H, T, d_v)
    return new Output(y.transpose(1, 2), s);
  }

  /**
   * L tokens that lie within one chunk, all with gradients at {@code s.reference()}; q, k, v are
   * (B, H, L, ·) and the gates (B, H, L).
   */
  private static Output segment(Tensor q, Tensor k, Tensor v, Tensor lb, Tensor th, Tensor la, State s,
      boolean decayedGradient) {
    long len = q.size(2);
    Tensor cumA = la.cumsum(-1); // (B, H, L) log A_{0→t}
    Tensor a0 = cumA.exp().unsqueeze(-1); // (B, H, L, 1) A_{0→t}
    Tensor decayA = Ssd.segmentDecay(cumA); // (B, H, L, L) L_A[t, r] = A_{r→t}, r ≤ t
    Tensor mix; // (B, H, L, L) W[t, i] = Σ_{i≤r≤t} A_{r→t}·B_{i→r}
    Tensor fromS = null; // (B, H, L, 1) w_t, the weight of S_0 in M_t
    Tensor decayB = null; // (B, H, L, L) L_B[r, i] = B_{i→r}
    Tensor b0 = null; // (B, H, L, 1) B_{0→t}
    if (lb == null) {
      mix = decayA; // η = 0: S_r = u_r, so W = L_A and S_0 is forgotten
    } else {
      Tensor cumB = lb.cumsum(-1); // (B, H, L) log B_{0→t}
      decayB = Ssd.segmentDecay(cumB);
      b0 = cumB.exp().unsqueeze(-1);
      mix = decayA.matmul(decayB);
      fromS = decayA.matmul(b0);
    }

    // Errors at the reference memory: e_i = M_ref·k_i − v_i, and the write coefficients −2θ_i·e_i.
    Tensor predicted = k.matmul(s.reference().transpose(-1, -2)); // (B, H, L, d_v) M_ref·k_i
    if (decayedGradient) predicted = predicted.mul(a0); // at A_{0→i}·M_ref
    Tensor write = predicted.sub(v).mul(mul(th, -2).unsqueeze(-1)); // (B, H, L, d_v), u_i = write_i·k_iᵀ

    // y_t = A_{0→t}·M_0·q_t + w_t·S_0·q_t + Σ_i W_{t,i}·(k_i·q_t)·write_i
    Tensor scores = mix.mul(q.matmul(k.transpose(-1, -2))); // (B, H, L, L)
    Tensor y = q.matmul(s.memory().transpose(-1, -2)).mul(a0).add(scores.matmul(write)); // (B, H, L, d_v)
    if (fromS != null) y = y.add(q.matmul(s.surprise().transpose(-1, -2)).mul(fromS));

    // The state after the segment: row L−1 of the same sums.
    Tensor aEnd = a0.select(2, len - 1).unsqueeze(-1); // (B, H, 1, 1)
    Tensor toEnd = mix.select(2, len - 1).unsqueeze(-1); // (B, H, L, 1) W[L−1, i]
    Tensor memory = s.memory().mul(aEnd).add(write.mul(toEnd).transpose(-1, -2).matmul(k)); // (B, H, d_v, d_k)
    Tensor surprise;
    if (lb == null) {
      surprise = write.narrow(2, len - 1, 1).transpose(-1, -2).matmul(k.narrow(2, len - 1, 1)); // u_{L−1}
    } else {
      memory = memory.add(s.surprise().mul(fromS.select(2, len - 1).unsqueeze(-1)));
      Tensor surpriseEnd = decayB.select(2, len - 1).unsqueeze(-1); // (B, H, L, 1) B_{i→L−1}
      surprise = s.surprise().mul(b0.select(2, len - 1).unsqueeze(-1))
          .add(write.mul(surpriseEnd).transpose(-1, -2).matmul(k));
    }
    Tensor reference = decayedGradient ? s.reference().mul(aEnd) : s.reference();
    return new Output(y, new State(memory, surprise, reference));
  }

  /**
   * One token of the same update.
   *
   * @param q query (B, H, d_k)
   * @param k key (B, H, d_k)
   * @param v value (B, H, d_v)
   * @param logEta log η (B, H), or null for no momentum
   * @param theta θ (B, H)
   * @param logDecay log(1−α) (B, H)
   * @param s the state before this token
   * @param offset this token's position within its chunk
   * @param chunk C
   * @return y (B, H, d_v) and the state after this token
   */
  public static Output step(Tensor q, Tensor k, Tensor v, Tensor logEta, Tensor theta, Tensor logDecay, State s,
      long offset, long chunk, boolean decayedGradient) {
    if (offset < 0 || offset >= chunk) {
      throw new IllegalArgumentException("offset " + offset + " is not a position within a chunk of " + chunk);
    }
    Tensor decay = logDecay.exp().unsqueeze(-1).unsqueeze(-1); // (B, H, 1, 1) 1−α_t
    Tensor reference = decayedGradient ? s.reference().mul(decay) : s.reference(); // (B, H, d_v, d_k)
    Tensor error = reference.matmul(k.unsqueeze(-1)).squeeze(-1).sub(v); // (B, H, d_v) M_ref·k − v
    Tensor write = error.mul(mul(theta, -2).unsqueeze(-1)); // (B, H, d_v) −θ·∇ℓ = write·kᵀ
    Tensor update = write.unsqueeze(-1).mul(k.unsqueeze(-2)); // (B, H, d_v, d_k)
    Tensor surprise = logEta == null
        ? update
        : s.surprise().mul(logEta.exp().unsqueeze(-1).unsqueeze(-1)).add(update); // S_t = η·S + u
    Tensor memory = s.memory().mul(decay).add(surprise); // M_t = (1−α)·M + S_t
    Tensor y = memory.matmul(q.unsqueeze(-1)).squeeze(-1); // (B, H, d_v) M_t·q_t
    if (offset + 1 == chunk) reference = memory; // the chunk ends here
    return new Output(y, new State(memory, surprise, reference));
  }
}
