package dev.strata.search;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.CausalLm;
import dev.strata.propose.RandomSource;
import dev.strata.propose.Rloo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reinforcement learning with a verifiable reward (RLVR) for the AR proposer: RLOO (Kool et al.
 * 2019; Ahmadian et al. 2024) with the energy as the reward, in the rounds of {@link
 * ExpertIteration} (same problems, files, resume, held-out measurement and result JSON). Each round
 * continues the previous round's proposer for {@code steps} optimizer steps of the one proposer
 * recipe; each step
 *
 * <ol>
 *   <li>draws B ({@code batch}) unlabelled problems from the task's {@link ProblemSource} (problems
 *       only; any that equals a held-out problem is left out),
 *   <li>samples K answers per problem from the current model without gradient,
 *   <li>rewards each with the verifier: 1 if accepted (energy 0), else 0, plus {@code shaping} ·
 *       (−energy),
 *   <li>takes one step on {@link Rloo#loss}: leave-one-out advantages, the sampling model's
 *       log-probabilities as the old policy (the first and only update, so the ratio is 1 and the
 *       gradient is the RLOO estimate), clip ε, and the KL to the frozen starting proposer.
 * </ol>
 *
 * A group whose K rewards are all equal has zero advantage and gives no gradient; each round
 * reports the fraction of informative groups. Every randomness comes from the seed, the round and
 * the step, and each round reads its proposer back from the last checkpoint, so a killed loop
 * resumes at its last completed round and repeats the rest bit for bit. In its {@link
 * ExpertRound}s, {@code problems} are those drawn over the round's steps, {@code accepted} those
 * with at least one accepted sample, {@code trainEvaluations} the K energy evaluations per problem,
 * {@code examples} the samples trained on and {@code fineTuneCpuSeconds} the whole round's
 * (sampling is part of each step).
 */
public final class RlooRounds<P, X> {

  /**
   * RLOO's settings.
   *
   * @param steps optimizer steps per round, each on B problems × K samples
   * @param kl β, the weight of the KL to the starting proposer (0: no reference is computed)
   * @param shaping w of the shaped reward w · (−energy) added to acceptance (0: none)
   * @param clip ε of the clipped ratio
   */
  public record Settings(long steps, double kl, double shaping, double clip) {
    public Settings {
      if (steps <= 0)
        throw new IllegalArgumentException(
            "--steps must be positive (RL steps per round), got " + steps);
      if (!(kl >= 0) || Double.isInfinite(kl))
        throw new IllegalArgumentException("--kl must be ≥ 0 (0: no KL penalty), got " + kl);
      if (!(shaping >= 0) || Double.isInfinite(shaping))
        throw new IllegalArgumentException(
            "--shaping must be ≥ 0 (0: reward 1 if accepted), got " + shaping);
      if (!(clip > 0) || !(clip < 1))
        throw new IllegalArgumentException("--clip must lie in (0, 1), got " + clip);
    }
  }

  private final ExpertIteration.Config config;
  private final Settings rl;
  private final ExpertIteration.Task<P, X> task;
  private final boolean progressBar;
  private final Set<P> heldOut;

  /** {@code config.rl()} holds the RLOO settings; {@code config.batch()} is B. */
  public RlooRounds(
      ExpertIteration.Config config, ExpertIteration.Task<P, X> task, boolean progressBar) {
    if (config.rl() == null) throw new IllegalArgumentException("RLOO needs its settings");
    this.config = config;
    this.rl = config.rl();
    this.task = task;
    this.progressBar = progressBar;
    this.heldOut = new HashSet<>(task.heldOut());
  }

  /**
   * Runs the rounds from the proposer at {@code base} into {@code out}; with {@code resume},
   * continues after the last round file there.
   */
  public ExpertIteration.Result run(Path base, Path out, boolean resume, Consumer<String> log) {
    ProposerRounds<P, X> rounds =
        new ProposerRounds<>("rloo", config, task, base, out, progressBar, log);
    rounds.begin(resume);
    CausalLm reference = rl.kl() > 0 ? ArTraining.load(base, task.name()).model() : null;
    if (reference != null) reference.eval();
    for (int r = rounds.next(); r <= config.rounds(); r = rounds.next()) {
      ExpertRound prev = rounds.last();
      long w0 = System.nanoTime();
      double c0 = ExpertIteration.cpuSeconds();
      Tally tally = new Tally();
      int round = r;
      String checkpoint =
          rounds.train(
              r,
              rl.steps(),
              o ->
                  ArTraining.fineTune(
                      o,
                      rounds.currentPath(),
                      (model, step) -> loss(model, reference, round, step, tally)));
      if (checkpoint == null) return rounds.result(true);
      double cpu = ExpertIteration.cpuSeconds() - c0;
      PassRates m = rounds.measure(rounds.load(checkpoint));
      rounds.finish(
          new ExpertRound(
              r,
              tally.drawn,
              tally.skipped,
              tally.solved,
              config.samples(),
              tally.groups * config.samples(),
              rl.steps(),
              m,
              cpu,
              cpu,
              prev.cumulativeCpuSeconds() + cpu,
              (System.nanoTime() - w0) / 1e9,
              checkpoint,
              tally.groups == 0 ? 0 : tally.informative / (double) tally.groups),
          List.of());
    }
    return rounds.result(false);
  }

  /** Step {@code step} (0-based) of round {@code r}: sample, reward, and the surrogate loss. */
  private Tensor loss(CausalLm model, CausalLm reference, int r, long step, Tally tally) {
    int b = config.batch();
    int k = config.samples();
    List<P> problems = new ArrayList<>(b);
    long first = ((r - 1) * rl.steps() + step) * b; // the problems of expert iteration's stream
    for (long i = first; i < first + b; i++) {
      P p = task.problems().problem(i);
      tally.drawn++;
      if (heldOut.contains(p)) tally.skipped++;
      else problems.add(p);
    }
    if (problems.isEmpty()) // every problem was held out: a step without gradient signal
    return Ops.mul(model.parameters().getFirst().sum(), 0.0);
    List<P> repeated = new ArrayList<>(problems.size() * k);
    for (P p : problems) for (int i = 0; i < k; i++) repeated.add(p);
    RandomSource rng =
        new RandomSource(config.seed() * 0x9E3779B97F4A7C15L + r * 0xBF58476D1CE4E5B9L + step);
    List<ArProposer.Sample<X>> samples =
        new ArProposer<>(
                model, task.codec(), ArProposer.Decoding.sampling(config.temperature(), false))
            .sample(repeated, null, rng);
    double[] rewards = new double[repeated.size()];
    List<ArTraining.Example> examples = new ArrayList<>(repeated.size());
    for (int g = 0; g < problems.size(); g++) {
      P p = problems.get(g);
      List<X> candidates = new ArrayList<>(k);
      for (int i = 0; i < k; i++) candidates.add(samples.get(g * k + i).candidate());
      float[] energies = task.verifier().energies(p, candidates);
      boolean solved = false;
      boolean informative = false;
      long[] prompt = task.codec().prompt(p);
      for (int i = 0; i < k; i++) {
        double e = energies[i];
        rewards[g * k + i] = (e <= 0 ? 1 : 0) - rl.shaping() * e;
        solved |= e <= 0;
        informative |= rewards[g * k + i] != rewards[g * k];
        examples.add(new ArTraining.Example(prompt, samples.get(g * k + i).answer()));
      }
      tally.groups++;
      if (solved) tally.solved++;
      if (informative) tally.informative++;
    }
    Tensor logp = Rloo.sequenceLogProbs(model, examples); // (N,)
    Tensor logpRef = null;
    if (reference != null)
      try (var g = Ops.noGrad()) {
        logpRef = Rloo.sequenceLogProbs(reference, examples); // (N,)
      }
    return Rloo.loss(logp, logp.detach(), logpRef, Rloo.advantages(rewards, k), rl.clip(), rl.kl());
  }

  /** What a round's steps drew and found, for its round record. */
  private static final class Tally {
    int drawn;
    int skipped;
    int groups;
    int informative;
    int solved;
  }
}
