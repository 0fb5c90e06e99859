package dev.strata.nn;

/**
 * GroupNorm (Wu &amp; He 2018): normalise each sample over groups of channels (and all spatial
 * positions), then a per-channel affine γ, β. PyTorch's {@code nn.GroupNorm(groups, channels)}.
 */
public final class GroupNorm extends Module {
  public final long groups;
  public final long channels;
  public final double eps;
  public final Tensor weight; // (channels)
  public final Tensor bias; // (channels)

  public GroupNorm(long groups, long channels, double eps) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          channels + " channels do not split into " + groups + " groups");
    }
    this.groups = groups;
    this.channels = channels;
    this.eps = eps;
    this.weight = param("weight", Ops.ones(channels));
    this.bias = param("bias", Ops.zeros(channels));
  }

  public GroupNorm(long groups, long channels) {
    this(groups, channels, 1e-5);
  }

  /** (B, C, …) → (B, C, …). */
  public Tensor forward(Tensor x) {
    return Ops.groupNorm(x, groups, weight, bias, eps);
  }
}
