package dev.strata.tasks.sequence;

import static dev.strata.nn.Ops.tensor;

import dev.strata.nn.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of {@link Example}s as flat row-major arrays of shape (B, T), right-padded to the longest
 * example with token 0 and mask false (a causal model never looks right, so padding changes no
 * scored prediction).
 *
 * @param batch B
 * @param length T
 * @param inputs (B·T) token ids
 * @param targets (B·T) ids to predict
 * @param mask (B·T) where the loss and the accuracy count
 */
public record SequenceBatch(int batch, int length, long[] inputs, long[] targets, boolean[] mask) {
  public SequenceBatch {
    long cells = (long) batch * length;
    if (batch <= 0
        || length <= 0
        || inputs.length != cells
        || targets.length != cells
        || mask.length != cells) {
      throw new IllegalArgumentException(
          "a ("
              + batch
              + ", "
              + length
              + ") batch needs "
              + cells
              + " inputs, targets and mask entries");
    }
  }

  /** Stacks examples, right-padding shorter ones. */
  public static SequenceBatch of(List<Example> examples) {
    if (examples.isEmpty())
      throw new IllegalArgumentException("a batch needs at least one example");
    int b = examples.size();
    int t = examples.stream().mapToInt(Example::length).max().orElseThrow();
    long[] inputs = new long[b * t];
    long[] targets = new long[b * t];
    boolean[] mask = new boolean[b * t];
    for (int r = 0; r < b; r++) {
      Example e = examples.get(r);
      System.arraycopy(e.inputs(), 0, inputs, r * t, e.length());
      System.arraycopy(e.targets(), 0, targets, r * t, e.length());
      System.arraycopy(e.mask(), 0, mask, r * t, e.length());
    }
    return new SequenceBatch(b, t, inputs, targets, mask);
  }

  /** Number of scored positions. */
  public int scored() {
    int n = 0;
    for (boolean m : mask) if (m) n++;
    return n;
  }

  /** Flat indices b·T + t of the scored positions, ascending (row by row). */
  public long[] scoredIndices() {
    long[] out = new long[scored()];
    for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
    return out;
  }

  /** The targets at {@link #scoredIndices()}. */
  public long[] scoredTargets() {
    long[] idx = scoredIndices();
    long[] out = new long[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = targets[(int) idx[i]];
    return out;
  }

  /** int64 (B, T) input ids. */
  public Tensor inputTensor() {
    return tensor(inputs, batch, length);
  }

  /** The example of row {@code r} (padding included). */
  public Example row(int r) {
    int from = r * length;
    return new Example(
        Arrays.copyOfRange(inputs, from, from + length),
        Arrays.copyOfRange(targets, from, from + length),
        Arrays.copyOfRange(mask, from, from + length));
  }
}
