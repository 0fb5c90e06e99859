package dev.strata.nn;

/** The position-wise feed-forward sublayer of a Transformer block: (…, D) → (…, D). */
public interface FeedForward {
  Tensor forward(Tensor x);
}
