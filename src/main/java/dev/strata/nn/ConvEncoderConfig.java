package dev.strata.nn;

import java.util.List;

/**
 * Shape of a {@link ConvEncoder}: images of {@code channels} channels pass through one stride-2
 * stage per entry of {@code widths} (kernel {@code kernel}, GroupNorm with {@code groups} groups,
 * then {@code activation}), are averaged over space and projected to {@code outDim}.
 */
public record ConvEncoderConfig(
    int channels, List<Integer> widths, int kernel, int groups, Activation activation, int outDim) {

  public ConvEncoderConfig {
    widths = List.copyOf(widths);
    if (channels <= 0 || widths.isEmpty() || kernel < 2 || outDim <= 0 || activation == null) {
      throw new IllegalArgumentException(
          "bad conv encoder shape: channels "
              + channels
              + ", widths "
              + widths
              + ", kernel "
              + kernel
              + ", outDim "
              + outDim
              + ", activation "
              + activation);
    }
    for (int w : widths) {
      if (groups <= 0 || w % groups != 0) {
        throw new IllegalArgumentException(
            "width " + w + " does not split into " + groups + " GroupNorm groups");
      }
    }
  }

  /**
   * Zero padding of every stage, ⌊(k − 1)/2⌋: a stride-2 stage halves an even side for k = 3 or 4.
   */
  public int padding() {
    return (kernel - 1) / 2;
  }
}
