package dev.strata.propose;

import java.util.List;

/**
 * The masked-diffusion samplers by name, as {@code strata sample} and {@code strata bench
 * diffusion} spell them: {@code ancestral} (MDLM), {@code llada} (low-confidence remasking in
 * blocks), {@code edit} (LLaDA 2.1 editing) and {@code edlm} (energy-guided importance sampling,
 * which needs an energy).
 */
public final class DiffusionSamplers {
  /** The samplers; {@link #toString()} is the name users type. */
  public enum Kind {
    /** MDLM's ancestral sampler. */
    ANCESTRAL("ancestral"),
    /** LLaDA's low-confidence remasking in blocks. */
    LLADA("llada"),
    /** LLaDA 2.1 editing. */
    EDIT("edit"),
    /** Energy-guided importance sampling (needs an energy). */
    EDLM("edlm");

    private final String name;

    Kind(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Every sampler name, in the order tables list them. */
  public static final List<String> NAMES =
      java.util.Arrays.stream(Kind.values()).map(Kind::toString).toList();

  private DiffusionSamplers() {}

  /**
   * What a sampler is built from.
   *
   * @param steps denoising steps (≥ 1)
   * @param blockLength llada / edit: block length (must divide the sequence length)
   * @param temperature of the token draws; NaN picks the sampler's default ({@link
   *     #defaultTemperature})
   * @param energy edlm: the energy candidates are resampled by (null otherwise)
   * @param candidates edlm: k candidates per step
   * @param windowLow edlm: importance sampling at steps with windowLow &lt; t ≤ windowHigh
   * @param windowHigh see windowLow
   * @param seed edlm: seed of the candidate stream
   */
  public record Spec(
      int steps,
      int blockLength,
      double temperature,
      CandidateEnergy energy,
      int candidates,
      double windowLow,
      double windowHigh,
      long seed) {

    /** A spec for the samplers without an energy (the EDLM fields at their defaults). */
    public static Spec of(int steps, int blockLength, double temperature) {
      return new Spec(steps, blockLength, temperature, null, 4, 0, 1, 0);
    }

    public Spec withEnergy(CandidateEnergy e, int k, double lo, double hi, long streamSeed) {
      return new Spec(steps, blockLength, temperature, e, k, lo, hi, streamSeed);
    }
  }

  /**
   * The temperature a sampler draws at unless told: the model's distribution (1), argmax (0) for
   * llada and edit.
   */
  public static double defaultTemperature(String name) {
    return defaultTemperature(kind(name));
  }

  /** See {@link #defaultTemperature(String)}. */
  public static double defaultTemperature(Kind kind) {
    return kind == Kind.LLADA || kind == Kind.EDIT ? 0.0 : 1.0;
  }

  /**
   * The sampler kind called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Kind kind(String name) {
    for (Kind k : Kind.values()) if (k.name.equals(name)) return k;
    throw new IllegalArgumentException(
        "unknown sampler '" + name + "'; choose " + String.join(", ", NAMES));
  }

  /**
   * The sampler called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, or edlm without an energy
   */
  public static DiffusionSampler of(String name, Spec s) {
    return of(kind(name), s);
  }

  /**
   * The sampler of {@code kind}.
   *
   * @throws IllegalArgumentException for edlm without an energy
   */
  public static DiffusionSampler of(Kind kind, Spec s) {
    double temp = Double.isNaN(s.temperature()) ? defaultTemperature(kind) : s.temperature();
    return switch (kind) {
      case ANCESTRAL -> new AncestralSampler(s.steps(), temp);
      case LLADA -> new LowConfidenceSampler(s.steps(), s.blockLength(), temp);
      case EDIT -> new EditingSampler(s.steps(), s.blockLength(), temp);
      case EDLM -> {
        if (s.energy() == null)
          throw new IllegalArgumentException("the edlm sampler needs an energy (an AR checkpoint)");
        yield new EdlmSampler(
            s.steps(),
            temp,
            s.candidates(),
            s.windowLow(),
            s.windowHigh(),
            1.0,
            s.energy(),
            s.seed());
      }
    };
  }
}
