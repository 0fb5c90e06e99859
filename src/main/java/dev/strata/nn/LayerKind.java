package dev.strata.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The kinds of sequence layer a layer pattern such as {@code "MMAM"} names, one letter per layer.
 * The letters and report names are part of saved checkpoints and results: never change them. The
 * constants are in letter order, the order sweeps and messages list them in.
 */
public enum LayerKind {
  /** A Transformer block: attention + MLP. */
  ATTENTION('A', "attention", "attention"),
  /** A Mamba-2 block. */
  MAMBA2('M', "mamba2", "Mamba-2"),
  /** A Mamba-3 (SISO) block. */
  MAMBA3('S', "mamba3", "Mamba-3"),
  /** A test-time memory block (Titans). */
  MEMORY('T', "memory", "test-time memory");

  /** The letter of a pattern. */
  public final char letter;

  /** The name reports give a model made of this kind only (e.g. {@code mamba2}). */
  public final String reportName;

  /** What the letter means, for messages (e.g. {@code Mamba-2}). */
  public final String description;

  LayerKind(char letter, String reportName, String description) {
    this.letter = letter;
    this.reportName = reportName;
    this.description = description;
  }

  /** Whether the layer is a state-space model sized by the SSM state N (Mamba-2, Mamba-3). */
  public boolean ssm() {
    return this == MAMBA2 || this == MAMBA3;
  }

  /** Every letter with its meaning, e.g. "A (attention), M (Mamba-2), …". */
  public static String legend() {
    return Arrays.stream(values())
        .map(k -> k.letter + " (" + k.description + ")")
        .collect(Collectors.joining(", "));
  }

  /** The kind of {@code letter}, or null when no kind has it. */
  public static LayerKind ofLetter(char letter) {
    for (LayerKind k : values()) if (k.letter == letter) return k;
    return null;
  }

  /**
   * The kinds of a pattern, one per letter.
   *
   * @throws IllegalArgumentException for an empty pattern or a letter no kind has
   */
  public static List<LayerKind> parse(String pattern) {
    if (pattern == null || pattern.isEmpty())
      throw new IllegalArgumentException("the layer pattern is empty; give e.g. \"MMAM\"");
    List<LayerKind> kinds = new ArrayList<>(pattern.length());
    for (int i = 0; i < pattern.length(); i++) {
      LayerKind k = ofLetter(pattern.charAt(i));
      if (k == null) {
        throw new IllegalArgumentException(
            "unknown layer '"
                + pattern.charAt(i)
                + "' in layer pattern \""
                + pattern
                + "\"; use letters "
                + legend()
                + ", e.g. MMAM");
      }
      kinds.add(k);
    }
    return List.copyOf(kinds);
  }

  /** Whether any layer of {@code pattern} is of this kind. */
  public boolean in(String pattern) {
    return pattern.indexOf(letter) >= 0;
  }

  /** How many layers of {@code pattern} are of this kind. */
  public long countIn(String pattern) {
    return pattern.chars().filter(c -> c == letter).count();
  }
}
