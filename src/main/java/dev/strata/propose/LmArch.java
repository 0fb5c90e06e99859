package dev.strata.propose;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The named CPU language models of the foundation benchmark ({@code strata train lm --arch}), as
 * users and checkpoints spell them; {@link #toString()} is the spelling.
 */
public enum LmArch {
  TRANSFORMER("transformer", "AAAA"),
  MAMBA2("mamba2", "MMMMMMM"),
  MAMBA3("mamba3", "SSSSSSS"),
  HYBRID("hybrid", "MMMAMM");

  private final String spelling;

  /** The layer pattern of the CPU model ({@link dev.strata.nn.LayerKind} letters). */
  public final String pattern;

  LmArch(String spelling, String pattern) {
    this.spelling = spelling;
    this.pattern = pattern;
  }

  @Override
  public String toString() {
    return spelling;
  }

  /**
   * The architecture spelled {@code name}.
   *
   * @throws IllegalArgumentException naming the choices for any other name
   */
  public static LmArch named(String name) {
    for (LmArch a : values()) if (a.spelling.equals(name)) return a;
    throw new IllegalArgumentException(
        "unknown architecture '"
            + name
            + "'; choose "
            + Arrays.stream(values())
                .limit(values().length - 1)
                .map(LmArch::toString)
                .collect(Collectors.joining(", "))
            + " or "
            + values()[values().length - 1]);
  }
}
