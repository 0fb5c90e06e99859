package dev.strata.nn;

import org.bytedeco.pytorch.Tensor;

/** The position-wise feed-forward sublayer of a Transformer block: (…, D) → (…, D). */
public interface FeedForward {
  Tensor forward(Tensor x);
}
