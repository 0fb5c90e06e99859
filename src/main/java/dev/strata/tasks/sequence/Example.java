package dev.strata.tasks.sequence;

import java.util.Arrays;

/**
 * One generated sequence of a synthetic task, in next-token form: the model reads {@code
 * inputs[0..t]} and is scored on predicting {@code targets[t]} wherever {@code mask[t]} is set.
 * Unmasked targets are 0 and never scored.
 *
 * @param inputs token ids, length T
 * @param targets the id to predict at each position, length T
 * @param mask where the loss and the accuracy count, length T
 */
public record Example(long[] inputs, long[] targets, boolean[] mask) {
  public Example {
    if (inputs.length == 0 || inputs.length != targets.length || inputs.length != mask.length) {
      throw new IllegalArgumentException(
          "inputs, targets and mask must share one positive length, got "
              + inputs.length
              + ", "
              + targets.length
              + ", "
              + mask.length);
    }
  }

  public int length() {
    return inputs.length;
  }

  /** Positions whose target is scored, ascending. */
  public int[] scoredPositions() {
    int n = 0;
    for (boolean m : mask) if (m) n++;
    int[] out = new int[n];
    for (int t = 0, i = 0; t < mask.length; t++) if (mask[t]) out[i++] = t;
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Example e
        && Arrays.equals(inputs, e.inputs)
        && Arrays.equals(targets, e.targets)
        && Arrays.equals(mask, e.mask);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(inputs) + Arrays.hashCode(targets)) + Arrays.hashCode(mask);
  }

  @Override
  public String toString() {
    return "Example[inputs="
        + Arrays.toString(inputs)
        + ", targets="
        + Arrays.toString(targets)
        + ", mask="
        + Arrays.toString(mask)
        + "]";
  }
}
