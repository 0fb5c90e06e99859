package dev.strata.nn;

/**
 * 2-d convolution with a square kernel, PyTorch's {@code nn.Conv2d}; init U(−1/√fan_in, 1/√fan_in)
 * for weight and bias as PyTorch's default, fan_in = in·k².
 */
public final class Conv2d extends Module {
  public final long in;
  public final long out;
  public final long kernel;
  public final long stride;
  public final long padding;
  public final Tensor weight; // (out, in, k, k)
  public final Tensor bias; // (out) or null

  public Conv2d(long in, long out, long kernel, long stride, long padding, boolean bias) {
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    double bound = 1.0 / Math.sqrt(in * kernel * kernel);
    this.weight = param("weight", Ops.uniform(-bound, bound, out, in, kernel, kernel));
    this.bias = bias ? param("bias", Ops.uniform(-bound, bound, out)) : null;
  }

  /** (B, in, H, W) → (B, out, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1). */
  public Tensor forward(Tensor x) {
    return Ops.conv2d(x, weight, bias, stride, padding);
  }
}
