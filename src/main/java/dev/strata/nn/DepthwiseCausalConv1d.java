package dev.strata.nn;

import static dev.strata.nn.Ops.cat;
import static dev.strata.nn.Ops.conv2d;

/**
 * A depthwise causal 1-d convolution over time (Mamba's short conv): each channel mixes its own
 * last K inputs, {@code y_t = bias + Σ_k w_k·x_{t−K+1+k}}. Inputs before the sequence come from a
 * carried history (the decode state), or are zeros. Parameters are named as PyTorch's {@code
 * nn.Conv1d(C, C, K, groups=C)}, with PyTorch's default init U(−1/√K, 1/√K).
 */
public final class DepthwiseCausalConv1d extends Module {
  public final long channels;
  public final long kernel;
  public final Tensor weight; // (C, 1, K)
  public final Tensor bias; // (C)

  public DepthwiseCausalConv1d(long channels, long kernel) {
    this.channels = channels;
    this.kernel = kernel;
    double bound = 1.0 / Math.sqrt(kernel);
    this.weight = param("weight", Ops.uniform(-bound, bound, channels, 1, kernel));
    this.bias = param("bias", Ops.uniform(-bound, bound, channels));
  }

  /**
   * (B, T, C) → (B, T, C).
   *
   * @param history the K−1 inputs before {@code x}, (B, C, K−1), or null for zeros
   */
  public Tensor forward(Tensor x, Tensor history) {
    long t = x.size(1);
    if (history != null && t == 1) return step(x.select(1, 0), history)[0].unsqueeze(1);
    Tensor input = history == null ? x : cat(1, history.transpose(1, 2), x); // (B, T', C)
    // Time-major (B, T', C) memory is NHWC for a (B, C, 1, T') image: oneDNN's depthwise kernels
    // run on it without a transpose, about twice as fast as conv1d's NCW path (backward included).
    Tensor image = input.unsqueeze(1).permute(0, 3, 1, 2); // (B, C, 1, T'), a view
    Tensor y =
        conv2d(image, weight.unsqueeze(2), bias, 0, history == null ? kernel - 1 : 0, channels);
    return y.permute(0, 2, 3, 1).select(1, 0).narrow(1, 0, t); // (B, T, C): the causal outputs
  }

  /**
   * One decode token: x (B, C) after {@code history} (B, C, K−1) → {the output (B, C), the next
   * history (B, C, K−1)}. The K-tap dot product itself: oneDNN's per-call setup for a one-step
   * convolution costs about ten times more.
   */
  public Tensor[] step(Tensor x, Tensor history) {
    Tensor window = cat(2, history, x.unsqueeze(2)); // (B, C, K)
    Tensor y = Ops.sum(window.mul(weight.view(channels, kernel)), false, -1).add(bias); // (B, C)
    return new Tensor[] {y, window.narrow(2, 1, kernel - 1)}; // the history: a view of the window
  }

  /**
   * The last K−1 inputs once {@code x} (B, T, C) follows {@code history} (or zeros if null): (B, C,
   * K−1).
   */
  public Tensor nextHistory(Tensor x, Tensor history) {
    Tensor past =
        history != null ? history : Ops.zeros(Ops.dtype(x), x.size(0), channels, kernel - 1);
    Tensor window = cat(2, past, x.transpose(1, 2)); // (B, C, K−1+T)
    Tensor next = window.narrow(2, window.size(2) - (kernel - 1), kernel - 1);
    return x.size(1) == 1 ? next : next.contiguous(); // a view pins the window: only for one token
  }
}
