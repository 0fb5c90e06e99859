package dev.strata.nn;

import static dev.strata.nn.Ops.bmm;
import static dev.strata.nn.Ops.mul;
import static dev.strata.nn.Ops.pad;

/**
 * The test-time memory update of Titans (Behrouz et al. 2024, "Titans: Learning to Memorize at Test
 * Time", §3.1–3.2), per head, with a linear memory {@code M} of shape (d_v, d_k):
 *
 * <pre>
 *   ℓ(M; k_t, v_t) = ‖M·k_t − v_t‖²,   ∇ℓ = 2(M·k_t − v_t)·k_tᵀ
 *   S_t = η_t·S_{t−1} − θ_t·∇ℓ(M_ref)                 surprise with momentum
 *   M_t = (1−α_t)·M_{t−1} + S_t                        forgetting
 *   y_t = M_t·q_t                                      read
 * </pre>
 *
 * Titans trains chunk-wise: within a chunk of C tokens every gradient is taken at the memory of the
 * chunk start, {@code M_ref = M_{chunk start}} (§3.2), so the update is a model of its own for each
 * C; with C = 1 it is the plain recurrence. With {@code decayedGradient} the gradient is taken at
 * the chunk-start memory decayed to step t, {@code M_ref = Π(1−α)·M_{chunk start}}: with C = 1 and
 * η = 0 that is Gated DeltaNet (Yang et al. 2024), {@code M_t = (1−α_t)·M_{t−1}(I − β_t·k_t·k_tᵀ) +
 * β_t·v_t·k_tᵀ} with {@code β_t = 2θ_t}.
 *
 * <p>Within a chunk the gradients no longer depend on the memory, so the two recurrences are linear
 * in the rank-1 writes {@code u_i = −2θ_i·e_i·k_iᵀ} ({@code e_i = M_ref·k_i − v_i}): with {@code
 * A_{r→t} = Π_{j=r+1..t}(1−α_j)} and {@code B_{i→r} = Π_{j=i+1..r} η_j},
 *
 * <pre>
 *   M_t = A_{0→t}·M_0 + w_t·S_0 + Σ_{i≤t} W_{t,i}·u_i,   W = L_A·L_B,  w_t = Σ_{r≤t} A_{r→t}·B_{0→r}
 *   y_t = A_{0→t}·M_0·q_t + w_t·S_0·q_t + Σ_{i≤t} W_{t,i}·(k_i·q_t)·(−2θ_i·e_i)
 * </pre>
 *
 * — masked C×C matmuls, as in linear attention, done for all chunks at once. Only the errors {@code
 * e_i} need the memory that the previous chunk left, so a loop over chunks carries M, S and M_ref
 * with two or three small batched matmuls per chunk; the reads are then one batched product over
 * all chunks. {@link #step} advances one token with the same chunk-boundary rule, so token-by-token
 * decoding equals {@link #chunked}.
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
      return new State(
          Ops.zeros(dtype, batch, heads, dv, dk),
          Ops.zeros(dtype, batch, heads, dv, dk),
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
  public static Output chunked(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor logEta,
      Tensor theta,
      Tensor logDecay,
      State initial,
      long offset,
      long chunk,
      boolean decayedGradient) {
    if (chunk <= 0)
      throw new IllegalArgumentException("memory chunk must be positive, got " + chunk);
    if (offset < 0 || offset >= chunk) {
      throw new IllegalArgumentException(
          "offset " + offset + " is not a position within a chunk of " + chunk);
    }
    long t = q.size(1);
    State s =
        initial != null
            ? initial
            : State.zeros(Ops.dtype(q), q.size(0), q.size(2), v.size(3), q.size(3));
    if (offset == 0) return chunks(q, k, v, logEta, theta, logDecay, s, chunk, decayedGradient);
    // A state from mid-chunk: first the rest of its chunk, a chunk of C − offset tokens from that
    // state.
    long head = Math.min(t, chunk - offset);
    Output first =
        chunks(
            q.narrow(1, 0, head),
            k.narrow(1, 0, head),
            v.narrow(1, 0, head),
            logEta == null ? null : logEta.narrow(1, 0, head),
            theta.narrow(1, 0, head),
            logDecay.narrow(1, 0, head),
            s,
            chunk - offset,
            decayedGradient);
    if (head == t) return first;
    long rest = t - head;
    Output second =
        chunks(
            q.narrow(1, head, rest),
            k.narrow(1, head, rest),
            v.narrow(1, head, rest),
            logEta == null ? null : logEta.narrow(1, head, rest),
            theta.narrow(1, head, rest),
            logDecay.narrow(1, head, rest),
            first.state(),
            chunk,
            decayedGradient);
    return new Output(Ops.cat(1, first.y(), second.y()), second.state());
  }

  /**
   * T tokens from a chunk start, in chunks of C (the last may be shorter). Everything that does not
   * depend on the memory is computed for all chunks at once; the loop over chunks only forms each
   * chunk's errors at its reference memory and carries M, S and the reference to the next chunk.
   * Layout inside: (chunks n, B·H, C, ·), so each chunk is one contiguous batch of small matrices.
   */
  private static Output chunks(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor logEta,
      Tensor theta,
      Tensor logDecay,
      State s,
      long chunk,
      boolean decayedGradient) {
    long batch = q.size(0), t = q.size(1), heads = q.size(2), dk = q.size(3), dv = v.size(3);
    long n = (t + chunk - 1) / chunk,
        padded = n * chunk,
        tail = t - (n - 1) * chunk,
        g = batch * heads;
    // Padding after the last token: zero keys, values and gates; rows before it never see it
    // (causal sums).
    Tensor qc = toChunks(q, n, chunk, padded),
        kc = toChunks(k, n, chunk, padded); // (n, BH, C, d_k)
    Tensor vc = toChunks(v, n, chunk, padded); // (n, BH, C, d_v)
    Tensor la = gatesToChunks(logDecay, n, chunk, padded); // (n, BH, C) log(1−α)
    Tensor lb = logEta == null ? null : gatesToChunks(logEta, n, chunk, padded); // (n, BH, C) log η
    Tensor coef =
        mul(gatesToChunks(theta, n, chunk, padded), -2).unsqueeze(-1); // (n, BH, C, 1) −2θ

    Tensor cumA = la.cumsum(-1); // (n, BH, C) log A_{0→t}
    Tensor a0 = cumA.exp().unsqueeze(-1); // (n, BH, C, 1) A_{0→t}
    Tensor mix =
        Ssd.segmentDecay(cumA); // (n, BH, C, C) L_A[t, r] = A_{r→t}, r ≤ t; W = L_A when η = 0
    Tensor decayB = null, b0 = null, fromS = null;
    if (lb != null) {
      Tensor cumB = lb.cumsum(-1); // (n, BH, C) log B_{0→t}
      decayB = Ssd.segmentDecay(cumB); // (n, BH, C, C) L_B[r, i] = B_{i→r}
      b0 = cumB.exp().unsqueeze(-1); // (n, BH, C, 1) B_{0→t}
      Tensor flatA = mix.reshape(n * g, chunk, chunk);
      fromS =
          bmm(flatA, b0.reshape(n * g, chunk, 1))
              .view(n, g, chunk, 1); // w_t = Σ_{r≤t} A_{r→t}·B_{0→r}
      mix =
          bmm(flatA, decayB.reshape(n * g, chunk, chunk))
              .view(n, g, chunk, chunk); // W[t, i] = Σ_{i≤r≤t} A_{r→t}·B_{i→r}
    }

    Tensor memory = s.memory().reshape(g, dv, dk), surprise = s.surprise().reshape(g, dv, dk);
    Tensor reference = s.reference().reshape(g, dv, dk);
    Tensor[] entering = new Tensor[(int) n],
        enteringS = new Tensor[(int) n],
        writes = new Tensor[(int) n];
    for (int c = 0; c < n; c++) {
      long end = c == n - 1 ? tail - 1 : chunk - 1; // the chunk's last real token
      Tensor kk = kc.select(0, c); // (BH, C, d_k)
      // Errors at the reference memory, e_i = M_ref·k_i − v_i, and the writes u_i =
      // (−2θ_i·e_i)·k_iᵀ.
      Tensor predicted = bmm(kk, reference.transpose(1, 2)); // (BH, C, d_v)
      if (decayedGradient) predicted = predicted.mul(a0.select(0, c)); // at A_{0→i}·M_ref
      Tensor write = predicted.sub(vc.select(0, c)).mul(coef.select(0, c)); // (BH, C, d_v)
      entering[c] = memory;
      enteringS[c] = surprise;
      writes[c] = write;
      // The state after the chunk: M = A_{0→end}·M_0 + w_end·S_0 + Σ_i W[end, i]·u_i, and likewise
      // S.
      Tensor aEnd = a0.select(0, c).narrow(1, end, 1); // (BH, 1, 1)
      Tensor toEnd = mix.select(0, c).narrow(1, end, 1).transpose(1, 2); // (BH, C, 1) W[end, i]
      Tensor nextMemory =
          memory.mul(aEnd).add(bmm(write.mul(toEnd).transpose(1, 2), kk)); // (BH, d_v, d_k)
      if (lb == null) {
        surprise = bmm(write.narrow(1, end, 1).transpose(1, 2), kk.narrow(1, end, 1)); // u_end
      } else {
        nextMemory = nextMemory.add(surprise.mul(fromS.select(0, c).narrow(1, end, 1)));
        Tensor sEnd = decayB.select(0, c).narrow(1, end, 1).transpose(1, 2); // (BH, C, 1) B_{i→end}
        surprise =
            surprise
                .mul(b0.select(0, c).narrow(1, end, 1))
                .add(bmm(write.mul(sEnd).transpose(1, 2), kk));
      }
      memory = nextMemory;
      if (end == chunk - 1)
        reference = memory; // a chunk boundary: the next gradients are taken here
      else if (decayedGradient) reference = reference.mul(aEnd);
    }

    // Reads of all chunks at once: y_t = A_{0→t}·M_0·q_t + w_t·S_0·q_t + Σ_i W[t,
    // i]·(k_i·q_t)·(−2θ_i·e_i).
    Tensor flatQ = qc.reshape(n * g, chunk, dk);
    Tensor scores =
        mix.reshape(n * g, chunk, chunk)
            .mul(bmm(flatQ, kc.reshape(n * g, chunk, dk).transpose(1, 2))); // (nBH, C, C)
    Tensor y =
        bmm(flatQ, Ops.stack(0, entering).reshape(n * g, dv, dk).transpose(1, 2)) // (nBH, C, d_v)
            .mul(a0.reshape(n * g, chunk, 1))
            .add(bmm(scores, Ops.stack(0, writes).reshape(n * g, chunk, dv)));
    if (fromS != null) {
      y =
          y.add(
              bmm(flatQ, Ops.stack(0, enteringS).reshape(n * g, dv, dk).transpose(1, 2))
                  .mul(fromS.reshape(n * g, chunk, 1)));
    }
    y =
        y.view(n, batch, heads, chunk, dv)
            .permute(1, 0, 3, 2, 4)
            .reshape(batch, padded, heads, dv); // (B, T', H, d_v)
    if (padded != t) y = y.narrow(1, 0, t);
    return new Output(
        y,
        new State(
            memory.reshape(batch, heads, dv, dk),
            surprise.reshape(batch, heads, dv, dk),
            reference.reshape(batch, heads, dv, dk)));
  }

  /** (B, T, H, P) → (n, B·H, C, P), zero-padded to n·C tokens. */
  private static Tensor toChunks(Tensor x, long n, long chunk, long padded) {
    long batch = x.size(0), t = x.size(1), heads = x.size(2), p = x.size(3);
    if (padded != t) x = pad(x, 0, 0, 0, 0, 0, padded - t);
    return x.reshape(batch, n, chunk, heads, p)
        .permute(1, 0, 3, 2, 4)
        .reshape(n, batch * heads, chunk, p);
  }

  /** (B, T, H) → (n, B·H, C), zero-padded to n·C tokens. */
  private static Tensor gatesToChunks(Tensor x, long n, long chunk, long padded) {
    long batch = x.size(0), t = x.size(1), heads = x.size(2);
    if (padded != t) x = pad(x, 0, 0, 0, padded - t);
    return x.reshape(batch, n, chunk, heads).permute(1, 0, 3, 2).reshape(n, batch * heads, chunk);
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
  public static Output step(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor logEta,
      Tensor theta,
      Tensor logDecay,
      State s,
      long offset,
      long chunk,
      boolean decayedGradient) {
    if (offset < 0 || offset >= chunk) {
      throw new IllegalArgumentException(
          "offset " + offset + " is not a position within a chunk of " + chunk);
    }
    Tensor decay = logDecay.exp().unsqueeze(-1).unsqueeze(-1); // (B, H, 1, 1) 1−α_t
    Tensor reference =
        decayedGradient ? s.reference().mul(decay) : s.reference(); // (B, H, d_v, d_k)
    Tensor error = reference.matmul(k.unsqueeze(-1)).squeeze(-1).sub(v); // (B, H, d_v) M_ref·k − v
    Tensor write = error.mul(mul(theta, -2).unsqueeze(-1)); // (B, H, d_v) −θ·∇ℓ = write·kᵀ
    Tensor update = write.unsqueeze(-1).mul(k.unsqueeze(-2)); // (B, H, d_v, d_k)
    Tensor surprise =
        logEta == null
            ? update
            : s.surprise()
                .mul(logEta.exp().unsqueeze(-1).unsqueeze(-1))
                .add(update); // S_t = η·S + u
    Tensor memory = s.memory().mul(decay).add(surprise); // M_t = (1−α)·M + S_t
    Tensor y = memory.matmul(q.unsqueeze(-1)).squeeze(-1); // (B, H, d_v) M_t·q_t
    if (offset + 1 == chunk) reference = memory; // the chunk ends here
    return new Output(y, new State(memory, surprise, reference));
  }
}
