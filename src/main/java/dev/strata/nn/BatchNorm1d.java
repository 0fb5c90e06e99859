package dev.strata.nn;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) over the features of (N, C) or (N, C, L) inputs,
 * PyTorch's {@code nn.BatchNorm1d}. Training mode normalises with the batch statistics and updates
 * the running ones ({@code r ← (1 − m)·r + m·batch}, the variance unbiased); eval mode normalises
 * with {@code running_mean} and {@code running_var}.
 */
public final class BatchNorm1d extends Module {
  public final long features;
  public final double eps;
  public final double momentum;
  public final Tensor weight; // (C)
  public final Tensor bias; // (C)
  public final Tensor runningMean; // (C) buffer
  public final Tensor runningVar; // (C) buffer
  public final Tensor numBatchesTracked; // () int64 buffer

  public BatchNorm1d(long features, double eps, double momentum) {
    this.features = features;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = param("weight", Ops.ones(features));
    this.bias = param("bias", Ops.zeros(features));
    this.runningMean = buffer("running_mean", Ops.zeros(features));
    this.runningVar = buffer("running_var", Ops.ones(features));
    this.numBatchesTracked = buffer("num_batches_tracked", Ops.zeros(DType.INT64));
  }

  public BatchNorm1d(long features) {
    this(features, 1e-5, 0.1);
  }

  /** (N, C) or (N, C, L) → the same shape. */
  public Tensor forward(Tensor x) {
    if ((x.dim() != 2 && x.dim() != 3) || x.size(1) != features) {
      throw new IllegalArgumentException(
          "BatchNorm1d("
              + features
              + ") expects (N, "
              + features
              + ") or (N, "
              + features
              + ", L), got "
              + Arrays.toString(Ops.shape(x)));
    }
    boolean training = isTraining();
    if (training) {
      if (x.numel() / features < 2) {
        throw new IllegalArgumentException(
            "BatchNorm1d needs more than one value per feature in training mode, got "
                + Arrays.toString(Ops.shape(x)));
      }
      try (var g = Ops.noGrad()) {
        Ops.addInPlace(numBatchesTracked, 1);
      }
    }
    // In training mode libtorch updates runningMean/runningVar in place.
    return Ops.batchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);
  }
}
