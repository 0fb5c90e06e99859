package dev.strata.bench.reasoning;

import dev.strata.energy.CrossEncoderConfig;
import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.countdown.CountdownConstraints;
import dev.strata.tasks.countdown.CountdownGenerator;
import dev.strata.tasks.countdown.CountdownRules;
import java.util.SplittableRandom;

/**
 * The Countdown learned energy's task ({@code strata train reasoning --task countdown-ebm}):
 * generated problems with exact solutions (the CD4 files are never read); near misses of the true
 * steps are a changed number (an operand or a result), a changed operator in one step, or another
 * complete, arithmetically valid derivation from the same numbers that misses the target (a wrong
 * leaf of the complete search).
 */
public record CountdownEbm(long seed) implements ResidualEnergyTraining.Task<Countdown, String> {
  public static final String TASK = "countdown-ebm";
  private static final String OPS = "+-*/";

  @Override
  public String name() {
    return TASK;
  }

  @Override
  public LearnedEnergy.Encoder<Countdown, String> encoder() {
    return LearnedEnergy.Encoder.of(codec()::prompt, codec()::answer);
  }

  /** The task's token codec (its prompt and answer streams are what the energy reads). */
  public CountdownCodec codec() {
    return new CountdownCodec();
  }

  /**
   * Width 64, 3 bidirectional blocks over the 16 input characters, the separator and the 40 answer
   * characters.
   */
  @Override
  public CrossEncoderConfig net() {
    return new CrossEncoderConfig(
        new CountdownCodec().vocab(),
        CountdownCodec.PROMPT_CHARS + 1,
        CountdownCodec.ANSWER_LENGTH,
        64,
        4,
        3);
  }

  @Override
  public ResidualEnergyTraining.Example<Countdown, String> generate(long index) {
    var g =
        CountdownGenerator.generate(
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index), 10, 99);
    return new ResidualEnergyTraining.Example<>(g.problem(), g.solution());
  }

  @Override
  public String perturb(Countdown p, String answer, SplittableRandom rng) {
    for (int attempt = 0; attempt < 100; attempt++) {
      String x =
          switch (rng.nextInt(4)) {
            case 0 -> otherLeaf(p, rng);
            case 1 -> changeOperator(answer, rng);
            default -> changeNumber(answer, rng);
          };
      if (x != null
          && !x.equals(answer)
          && x.length() <= CountdownCodec.ANSWER_LENGTH
          && !correct(p, x)) return x;
    }
    return answer.isEmpty()
        ? "0+0=0"
        : answer.substring(0, answer.length() - 1); // a truncated last result: always wrong
  }

  /**
   * A random complete derivation from the problem's numbers (a leaf of {@link
   * CountdownConstraints}).
   */
  static String otherLeaf(Countdown p, SplittableRandom rng) {
    CountdownConstraints c = new CountdownConstraints();
    CountdownConstraints.State s = c.root(p);
    while (c.branchSite(s) >= 0) {
      int[] v = c.values(s, c.branchSite(s));
      if (v.length == 0) return null;
      s = c.assign(s, c.branchSite(s), v[rng.nextInt(v.length)]);
    }
    return c.candidate(p, s);
  }

  private static String changeOperator(String answer, SplittableRandom rng) {
    String[] steps = answer.split(",");
    int i = rng.nextInt(steps.length);
    var st = CountdownRules.parseStep(steps[i]);
    if (st == null) return null;
    char op = OPS.charAt((OPS.indexOf(st.op()) + 1 + rng.nextInt(3)) % 4);
    steps[i] = st.a() + "" + op + st.b() + "=" + st.c();
    return String.join(",", steps);
  }

  private static String changeNumber(String answer, SplittableRandom rng) {
    String[] steps = answer.split(",");
    int i = rng.nextInt(steps.length);
    var st = CountdownRules.parseStep(steps[i]);
    if (st == null) return null;
    long[] n = {st.a(), st.b(), st.c()};
    int which = rng.nextInt(3);
    long delta = (1 + rng.nextInt(rng.nextBoolean() ? 3 : 20)) * (rng.nextBoolean() ? 1 : -1);
    n[which] = Math.max(0, n[which] + delta);
    steps[i] = n[0] + "" + st.op() + n[1] + "=" + n[2];
    return String.join(",", steps);
  }

  @Override
  public boolean correct(Countdown p, String candidate) {
    return CountdownRules.solves(p, candidate);
  }
}
