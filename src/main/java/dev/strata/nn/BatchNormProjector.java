package dev.strata.nn;

/**
 * The projector of LeWM / VICReg (Bardes et al. 2022): {@code Linear → BatchNorm1d → act → Linear}.
 * Named like LeWM's {@code MLP} (an {@code nn.Sequential}: {@code net.0}, {@code net.1}, {@code
 * net.3}), so its state dicts load unchanged.
 */
public final class BatchNormProjector extends Module {
  public final Linear fc1; // net.0: (in) → (hidden)
  public final BatchNorm1d norm; // net.1
  public final Activation activation; // net.2
  public final Linear fc2; // net.3: (hidden) → (out)

  public BatchNormProjector(long in, long hidden, long out, Activation activation) {
    this.fc1 = child("net.0", new Linear(in, hidden));
    this.norm = child("net.1", new BatchNorm1d(hidden));
    this.activation = activation;
    this.fc2 = child("net.3", new Linear(hidden, out));
  }

  /** GELU in the middle, as LeWM. */
  public BatchNormProjector(long in, long hidden, long out) {
    this(in, hidden, out, Activation.GELU);
  }

  /**
   * (…, in) → (…, out). Leading dimensions are flattened into one batch first, so the batch
   * statistics run over every vector (e.g. all B·T frame embeddings), as LeWM projects (B·T, D).
   */
  public Tensor forward(Tensor x) {
    long[] shape = Ops.shape(x);
    Tensor flat = x.reshape(-1, shape[shape.length - 1]); // (M, in)
    Tensor y = fc2.forward(activation.apply(norm.forward(fc1.forward(flat)))); // (M, out)
    shape[shape.length - 1] = fc2.out;
    return y.reshape(shape);
  }
}
