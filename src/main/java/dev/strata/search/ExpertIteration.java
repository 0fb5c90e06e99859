package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.RandomSource;
import dev.strata.propose.SequenceCodec;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Expert iteration with the energy as the verifier: search teaches the proposer (Anthony et al.
 * 2017; STaR, Zelikman et al. 2022; ReST-EM, Singh et al. 2023). Each round
 *
 * <ol>
 *   <li>draws M unlabelled problems from a {@link ProblemSource} (problems only, never a solution;
 *       any that equals a held-out problem is left out),
 *   <li>samples K answers per problem from the current proposer (one batched decode, {@link
 *       SamplePool}),
 *   <li>runs a budgeted {@link Search} with the verifier energy over them (default best-of-K),
 *   <li>keeps the answers the verifier accepts, and
 *   <li>fine-tunes the proposer on them with the earlier rounds' accepted answers mixed in, through
 *       {@link ArTraining} (the one training recipe).
 * </ol>
 *
 * The proposer after each round is measured on held-out problems ({@link PassRates}). Every
 * completed round writes its checkpoint, then its round file (metrics, accepted answers, checksum;
 * {@link ExpertRoundFiles}), then the result JSON; a killed loop resumes at its last completed
 * round and repeats it bit for bit, because every round reads its proposer back from its checkpoint
 * and draws all randomness from the seed and the round number.
 */
public final class ExpertIteration<P, X> {

  /**
   * Where each round's fine-tuning starts. ReST-EM fine-tunes the base model afresh each iteration
   * on the latest data, so errors of a round do not compound (Singh et al. 2023, as STaR's outer
   * loop restarts from the pretrained model); classic expert iteration keeps training the latest
   * network (Anthony et al. 2017).
   */
  public enum Start {
    /** the starting proposer, every round (ReST-EM / STaR) */
    BASE("base"),
    /** the previous round's proposer (expert iteration that continues) */
    PREVIOUS("previous");

    private final String spelling;

    Start(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String toString() {
      return spelling;
    }
  }

  /**
   * The loop's settings.
   *
   * @param task the task the proposer checkpoints must hold
   * @param rounds rounds to run (a resumed loop may be given more)
   * @param problems M, unlabelled problems per round
   * @param samples K, answers sampled per problem
   * @param temperature sampling temperature
   * @param evaluations the search's budget of energy evaluations per problem (its proposals are the
   *     K samples)
   * @param search the search's name, recorded with the rounds
   * @param start where each round's fine-tuning starts
   * @param epochs passes over the accepted answers per round: steps = ⌈epochs · examples / batch⌉
   * @param batch examples per fine-tuning step
   * @param lr peak learning rate of the fine-tuning (cosine to lr/10)
   * @param evalSamples K of the held-out pass@K and search
   * @param seed seed of problems' order-free randomness: sampling, search, data order
   * @param rl the RLOO settings of a {@link RlooRounds} run (null: expert iteration or supervised)
   */
  public record Config(
      String task,
      int rounds,
      int problems,
      int samples,
      double temperature,
      long evaluations,
      String search,
      Start start,
      double epochs,
      int batch,
      double lr,
      int evalSamples,
      long seed,
      RlooRounds.Settings rl) {
    public Config {
      if (rounds < 0)
        throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
      if (problems <= 0)
        throw new IllegalArgumentException("--problems must be positive, got " + problems);
      if (samples <= 0)
        throw new IllegalArgumentException("--samples must be positive, got " + samples);
      if (evalSamples <= 0)
        throw new IllegalArgumentException("--eval-samples must be positive, got " + evalSamples);
      if (!(temperature > 0))
        throw new IllegalArgumentException("--temperature must be positive, got " + temperature);
      if (evaluations <= 0)
        throw new IllegalArgumentException(
            "--budget must be positive (energy evaluations per problem), got " + evaluations);
      if (!(epochs > 0))
        throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
      if (batch <= 0) throw new IllegalArgumentException("--batch must be positive, got " + batch);
      if (!(lr > 0)) throw new IllegalArgumentException("--lr must be positive, got " + lr);
      if (rl != null && samples < 2)
        throw new IllegalArgumentException(
            "--samples must be ≥ 2 for --method rloo (each answer's baseline is the others'"
                + " mean reward), got "
                + samples);
    }

    /** Settings of expert iteration (or of the supervised baseline): no RLOO settings. */
    public Config(
        String task,
        int rounds,
        int problems,
        int samples,
        double temperature,
        long evaluations,
        String search,
        Start start,
        double epochs,
        int batch,
        double lr,
        int evalSamples,
        long seed) {
      this(
          task,
          rounds,
          problems,
          samples,
          temperature,
          evaluations,
          search,
          start,
          epochs,
          batch,
          lr,
          evalSamples,
          seed,
          null);
    }

    public Config withRounds(int r) {
      return new Config(
          task,
          r,
          problems,
          samples,
          temperature,
          evaluations,
          search,
          start,
          epochs,
          batch,
          lr,
          evalSamples,
          seed,
          rl);
    }

    /** The same settings with other RLOO settings (null: none). */
    public Config withRl(RlooRounds.Settings settings) {
      return new Config(
          task,
          rounds,
          problems,
          samples,
          temperature,
          evaluations,
          search,
          start,
          epochs,
          batch,
          lr,
          evalSamples,
          seed,
          settings);
    }

    /**
     * The search's budget per problem: the K samples as its proposals (a complete search asks the
     * proposer for no more), {@code evaluations} energy evaluations, accept at 0.
     */
    public Budget budget() {
      return new Budget(samples, evaluations, Duration.ofHours(1), 0);
    }
  }

  /**
   * What the loop needs of a task.
   *
   * @param name the task proposer checkpoints must hold
   * @param codec problems and answers as tokens
   * @param problems the unlabelled training problems
   * @param heldOut evaluation problems (never trained on; equal training problems are left out)
   * @param verifier the energy the search judges with (accepting at 0)
   * @param rules the exact check of the held-out answers (0: valid)
   * @param search the search for a seed
   */
  public record Task<P, X>(
      String name,
      SequenceCodec<P, X> codec,
      ProblemSource<P> problems,
      List<P> heldOut,
      Energy<P, X> verifier,
      Energy<P, X> rules,
      LongFunction<Search<P, X>> search) {}

  /** Every round so far (round 0 first) and the result JSON. */
  public record Result(List<ExpertRound> rounds, Path json, boolean interrupted) {}

  /** The result JSON in the output directory. */
  public static final String RESULT_FILE = "expert.json";

  private final Config config;
  private final Task<P, X> task;
  private final boolean progressBar;
  private final Set<P> heldOut;

  public ExpertIteration(Config config, Task<P, X> task, boolean progressBar) {
    this.config = config;
    this.task = task;
    this.progressBar = progressBar;
    this.heldOut = new HashSet<>(task.heldOut());
  }

  /**
   * Runs the rounds from the proposer at {@code base} into {@code out}; with {@code resume},
   * continues after the last round file there.
   */
  public Result run(Path base, Path out, boolean resume, Consumer<String> log) {
    ProposerRounds<P, X> rounds =
        new ProposerRounds<>("expert-iteration", config, task, base, out, progressBar, log);
    List<ArTraining.Example> data = new ArrayList<>(rounds.begin(resume));
    for (int r = rounds.next(); r <= config.rounds(); r = rounds.next()) {
      ExpertRound prev = rounds.last();
      ArTraining.Loaded current = rounds.current();
      List<ArTraining.Example> accepted = new ArrayList<>();
      long w0 = System.nanoTime();
      double c0 = cpuSeconds();
      Collected c = collect(current, r, accepted);
      data.addAll(accepted);
      long steps = 0;
      double fineTuneCpu = 0;
      String checkpoint = prev.checkpoint();
      if (!data.isEmpty()) {
        steps = (long) Math.ceil(config.epochs() * data.size() / config.batch());
        double f0 = cpuSeconds();
        checkpoint =
            rounds.fineTune(
                r,
                config.start() == Start.BASE ? base : rounds.currentPath(),
                ArTraining.ExampleSource.of(data, config.seed() * 1_000_003L + r),
                steps);
        if (checkpoint == null) return rounds.result(true);
        fineTuneCpu = cpuSeconds() - f0;
      }
      double cpu = cpuSeconds() - c0;
      PassRates m =
          rounds.measure(checkpoint.equals(prev.checkpoint()) ? current : rounds.load(checkpoint));
      rounds.finish(
          new ExpertRound(
              r,
              config.problems(),
              c.skipped(),
              accepted.size(),
              c.evaluations() / (double) Math.max(1, config.problems() - c.skipped()),
              data.size(),
              steps,
              m,
              cpu,
              fineTuneCpu,
              prev.cumulativeCpuSeconds() + cpu,
              (System.nanoTime() - w0) / 1e9,
              checkpoint,
              0),
          accepted);
    }
    return rounds.result(false);
  }

  /**
   * Steps 1–4 of round {@code r}: draws the round's problems, samples, searches and adds the
   * accepted answers to {@code accepted}.
   */
  private Collected collect(ArTraining.Loaded current, int r, List<ArTraining.Example> accepted) {
    List<P> problems = new ArrayList<>(config.problems());
    int skipped = 0;
    for (long i = (long) (r - 1) * config.problems(); i < (long) r * config.problems(); i++) {
      P p = task.problems().problem(i);
      if (heldOut.contains(p)) skipped++;
      else problems.add(p);
    }
    var sampler =
        new ArProposer<>(
            current.model(),
            task.codec(),
            ArProposer.Decoding.sampling(config.temperature(), false));
    RandomSource rng = new RandomSource(config.seed() * 0x9E3779B97F4A7C15L + r);
    SamplePool<P, X> pool = SamplePool.draw(sampler, problems, config.samples(), rng);
    Search<P, X> search = task.search().apply(rng.nextSeed());
    Budget budget = config.budget();
    long evaluations = 0;
    for (P p : problems) {
      Outcome<X> o = search.run(p, pool, task.verifier(), budget);
      evaluations += o.energyEvaluations();
      if (o.accepted() && o.best() != null)
        accepted.add(
            new ArTraining.Example(task.codec().prompt(p), task.codec().answer(p, o.best())));
    }
    return new Collected(skipped, evaluations);
  }

  /** Problems left out for equalling a held-out one, and the searches' energy evaluations. */
  private record Collected(int skipped, long evaluations) {}

  /** Process CPU seconds, all threads. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }
}
