package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.AtomicFiles;
import dev.strata.train.Checkpoint;
import dev.strata.train.Fit;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains the residual energy of a task's AR proposer (spec "Residual EBM"; Deng et al. 2020,
 * "Residual Energy-Based Models for Text Generation") as a {@link CrossEncoderEnergyNet} over the
 * task codec's prompt and answer tokens, for tasks whose problem and answer are not aligned
 * (path-star, Countdown). Generated problems only: the true answer is the positive; ranking NCE
 * ({@link RankingNce}; Ma &amp; Collins 2018) ranks it below the AR proposer's own wrong samples
 * (drawn once per pool problem) and below the task's perturbations of the true answer (near
 * misses); the energy-discrepancy loss ({@link EnergyDiscrepancy}) ranks it below the same
 * perturbations one by one. The rule energy is never an input: the task's {@link Task#correct} only
 * labels the generated training data (an AR sample that happens to solve the problem is not a
 * negative). After training, a {@link Calibration} on held-out generated problems fixes the
 * acceptance threshold; it is written next to the checkpoints as {@code calibration.json}.
 */
public final class ResidualEnergyTraining {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ResidualEnergyTraining() {}

  /** What a task supplies. */
  public interface Task<P, X> {
    /** The training task's name, e.g. "pathstar-ebm" (stored in the checkpoint). */
    String name();

    /**
     * The token ids the energy reads: the task codec's prompt(problem) and answer(problem,
     * candidate).
     */
    LearnedEnergy.Encoder<P, X> encoder();

    CrossEncoderConfig net();

    /** Generated problem {@code index} with its true answer (seeded by the index). */
    Example<P, X> generate(long index);

    /**
     * A near miss of the true answer (wrong by construction, or redrawn until {@link #correct} says
     * so).
     */
    X perturb(P problem, X answer, SplittableRandom rng);

    /** Labels generated training data only; never used by the learned energy at test time. */
    boolean correct(P problem, X candidate);
  }

  /**
   * A proposer's own samples: one candidate drawn for each problem (the wrong ones become
   * negatives), reproducibly from {@code seed}.
   */
  @FunctionalInterface
  public interface Proposals<P, X> {
    List<X> draw(List<P> problems, long seed);
  }

  /** A generated problem and its true answer. */
  public record Example<P, X>(P problem, X answer) {}

  /**
   * A training problem with the proposer's wrong samples and its shape (prompt × answer tokens).
   */
  public record Item<P, X>(P problem, X answer, List<X> arNegatives, String shape) {}

  /**
   * @param pool generated training problems (AR negatives are drawn once for each)
   * @param held generated held-out problems for evaluation and calibration
   * @param arSamples AR samples per problem (wrong ones are negatives; 0: no proposer needed,
   *     perturbations take their place)
   * @param perturbed perturbations of the true answer per problem and step
   * @param recipe budget, steps, batch (problems per step), learning rates, warm-up, weight decay,
   *     clip, seed, eval interval (positive), run directory, progress bar
   */
  public record Options(int pool, int held, int arSamples, int perturbed, Recipe recipe) {
    public Options {
      if (pool <= 0 || held <= 0 || arSamples < 0 || perturbed <= 0 || recipe.evalEvery() <= 0) {
        throw new IllegalArgumentException(
            "the energy needs positive pool, held-out set, batch, eval interval and "
                + "perturbations per problem, and ≥ 0 AR samples");
      }
    }

    /**
     * The recipe the cross-encoders train with: AdamW at {@code lr} after 50 warm-up steps, cosine
     * to lr/10, weight decay 0.01, clip 1.
     */
    public static Recipe recipe(
        double budgetSeconds,
        long maxSteps,
        int batch,
        double lr,
        long seed,
        long evalEvery,
        Path out,
        boolean progressBar) {
      return new Recipe(
          budgetSeconds,
          maxSteps,
          batch,
          lr,
          lr / 10,
          50,
          0.01,
          1.0,
          seed,
          evalEvery,
          out,
          progressBar);
    }
  }

  /**
   * Where the trained energy separates held-out true answers from wrong ones (8 perturbations each,
   * plus the AR's wrong samples).
   *
   * @param acceptBelow a candidate is accepted when its energy is ≤ this: midway between the
   *     highest true answer and the lowest wrong one when they separate, else the 1st percentile of
   *     the wrong answers' energies (few false accepts; a search that rejects a true answer keeps
   *     looking)
   * @param trueAccepted fraction of held-out true answers at or below {@code acceptBelow}
   */
  public record Calibration(
      double acceptBelow,
      boolean separated,
      double maxTrueEnergy,
      double minWrongEnergy,
      double trueAccepted,
      int problems) {}

  public record Outcome(
      long params,
      long steps,
      double seconds,
      double loss,
      double rankVsPerturbed,
      double rankVsAr,
      double top1,
      TrainResult.StopReason stop,
      Path checkpoint,
      Calibration calibration) {}

  /** A trained energy with its calibration. */
  public record Loaded(CrossEncoderEnergyNet net, String task, Calibration calibration) {
    public <P, X> LearnedEnergy<P, X> energy(LearnedEnergy.Encoder<P, X> encoder) {
      return new LearnedEnergy<>(net, encoder, 256);
    }
  }

  /**
   * Trains the energy of {@code task}; {@code proposals} draws the proposer's samples (null when
   * {@code arSamples} is 0).
   */
  public static <P, X> Outcome run(
      Task<P, X> task, Options o, Proposals<P, X> proposals, Consumer<String> log) {
    Recipe r = o.recipe();
    List<Example<P, X>> train = new ArrayList<>();
    for (int i = 0; i < o.pool(); i++) train.add(task.generate(r.seed() * 1_000_003L + i));
    List<Example<P, X>> held = new ArrayList<>();
    for (int i = 0; i < o.held(); i++) held.add(task.generate(-(r.seed() * 1_000_003L + i + 1)));
    List<Item<P, X>> items = withArNegatives(task, train, proposals, o.arSamples(), r.seed(), log);
    List<Item<P, X>> val = withArNegatives(task, held, proposals, o.arSamples(), r.seed() + 7, log);
    Map<String, List<Item<P, X>>> byShape = new LinkedHashMap<>();
    for (Item<P, X> it : items) byShape.computeIfAbsent(it.shape(), k -> new ArrayList<>()).add(it);
    Ops.seed(r.seed());
    CrossEncoderEnergyNet net = new CrossEncoderEnergyNet(task.net());
    LearnedEnergy<P, X> energy = new LearnedEnergy<>(net, task.encoder(), 256);
    String modelJson =
        JSON.writeValueAsString(
            Map.of("task", task.name(), "kind", "cross-encoder", "config", task.net()));
    List<List<Item<P, X>>> groups = new ArrayList<>(byShape.values());
    TrainResult t =
        Fit.of(r, net, step -> loss(task, net, items, groups, o, step))
            .eval(step -> rankAccuracy(task, energy, val, r.seed()))
            // without --steps the loop runs for the budget, the schedule assumes 0.5 s a step
            .pace(0.5, 100, 1_000_000)
            .modelConfig(steps -> modelJson)
            .run();
    Map<String, Double> finalRank = rankAccuracy(task, energy, val, r.seed());
    Calibration cal = calibrate(task, energy, val, r.seed());
    AtomicFiles.writeString(r.out().resolve("calibration.json"), JSON.writeValueAsString(cal));
    log.accept("calibration: " + cal);
    return new Outcome(
        net.parameterCount(),
        t.step(),
        t.seconds(),
        t.loss(),
        finalRank.get("rank_vs_perturbed"),
        finalRank.getOrDefault("rank_vs_ar", Double.NaN),
        finalRank.get("top1"),
        t.reason(),
        t.checkpoint(),
        cal);
  }

  /** Draws the AR negatives for every problem in one batched call, keeping only wrong answers. */
  static <P, X> List<Item<P, X>> withArNegatives(
      Task<P, X> task,
      List<Example<P, X>> pool,
      Proposals<P, X> proposals,
      int k,
      long seed,
      Consumer<String> log) {
    List<P> repeated = new ArrayList<>();
    if (proposals != null) for (var e : pool) for (int i = 0; i < k; i++) repeated.add(e.problem());
    if (!repeated.isEmpty()) log.accept("drawing " + repeated.size() + " AR samples as negatives…");
    List<X> samples = repeated.isEmpty() ? List.of() : proposals.draw(repeated, seed);
    List<Item<P, X>> out = new ArrayList<>();
    int wrong = 0;
    for (int p = 0; p < pool.size(); p++) {
      Example<P, X> e = pool.get(p);
      List<X> neg = new ArrayList<>();
      for (int i = 0; i < k && !samples.isEmpty(); i++) {
        X s = samples.get(p * k + i);
        if (!task.correct(e.problem(), s)) neg.add(s);
      }
      wrong += neg.size();
      String shape =
          task.encoder().problem(e.problem()).length
              + "x"
              + task.encoder().candidate(e.problem(), e.answer()).length;
      out.add(new Item<>(e.problem(), e.answer(), neg, shape));
    }
    if (!repeated.isEmpty())
      log.accept(
          String.format("%,d of %,d AR samples are wrong (negatives)", wrong, repeated.size()));
    return out;
  }

  /**
   * Ranking NCE over (true answer, AR negatives, perturbations) + energy discrepancy over the
   * perturbations. A step's problems share one shape (prompt and answer lengths), drawn with
   * probability proportional to its share of the pool.
   */
  static <P, X> Tensor loss(
      Task<P, X> task,
      CrossEncoderEnergyNet net,
      List<Item<P, X>> items,
      List<List<Item<P, X>>> groups,
      Options o,
      long step) {
    SplittableRandom rng = new SplittableRandom(o.recipe().seed() * 31 + step);
    String shape = items.get(rng.nextInt(items.size())).shape();
    List<Item<P, X>> group =
        groups.stream().filter(g -> g.get(0).shape().equals(shape)).findFirst().orElseThrow();
    Recipe r = o.recipe();
    LearnedEnergy.Encoder<P, X> encoder = task.encoder();
    int k = o.arSamples() + o.perturbed();
    List<long[]> probs = new ArrayList<>();
    List<long[]> cands = new ArrayList<>();
    for (int b = 0; b < r.batch(); b++) {
      Item<P, X> it = group.get(rng.nextInt(group.size()));
      long[] prompt = encoder.problem(it.problem());
      List<X> rows = new ArrayList<>();
      rows.add(it.answer());
      for (int i = 0; i < o.arSamples(); i++) {
        rows.add(
            it.arNegatives().isEmpty()
                ? task.perturb(it.problem(), it.answer(), rng)
                : it.arNegatives().get(rng.nextInt(it.arNegatives().size())));
      }
      for (int i = 0; i < o.perturbed(); i++)
        rows.add(task.perturb(it.problem(), it.answer(), rng));
      for (X x : rows) {
        probs.add(prompt);
        cands.add(encoder.candidate(it.problem(), x));
      }
    }
    int n = probs.size();
    Tensor e =
        net.forward(
                tensor(flatten(probs), n, probs.get(0).length),
                tensor(flatten(cands), n, cands.get(0).length))
            .view(r.batch(), 1 + k); // (B, 1+K)
    Tensor positive = e.select(1, 0); // (B)
    Tensor nce = RankingNce.loss(positive, e.narrow(1, 1, k));
    Tensor ed =
        EnergyDiscrepancy.loss(positive, e.narrow(1, 1 + o.arSamples(), o.perturbed()), 1.0);
    return nce.add(ed);
  }

  private static long[] flatten(List<long[]> rows) {
    int t = rows.get(0).length;
    long[] out = new long[rows.size() * t];
    for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, i * t, t);
    return out;
  }

  /**
   * Held-out ranking: how often the true answer scores below one perturbation, below each AR
   * negative, and lowest of all its negatives together (top1).
   */
  public static <P, X> Map<String, Double> rankAccuracy(
      Task<P, X> task, LearnedEnergy<P, X> energy, List<Item<P, X>> val, long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 99);
    int wins = 0, winsAr = 0, totalAr = 0, top = 0;
    for (Item<P, X> it : val) {
      try (var s = Ops.scope()) {
        List<X> c = new ArrayList<>();
        c.add(it.answer());
        c.add(task.perturb(it.problem(), it.answer(), rng));
        c.addAll(it.arNegatives());
        float[] e = energy.energies(it.problem(), c);
        if (e[0] < e[1]) wins++;
        boolean lowest = true;
        for (int i = 1; i < e.length; i++) lowest &= e[0] < e[i];
        if (lowest) top++;
        for (int i = 2; i < e.length; i++) {
          if (e[0] < e[i]) winsAr++;
          totalAr++;
        }
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rank_vs_perturbed", (double) wins / Math.max(1, val.size()));
    if (totalAr > 0) m.put("rank_vs_ar", (double) winsAr / totalAr);
    m.put("top1", (double) top / Math.max(1, val.size()));
    return m;
  }

  /**
   * The acceptance threshold from held-out problems: each true answer against 8 perturbations and
   * its AR negatives.
   */
  static <P, X> Calibration calibrate(
      Task<P, X> task, LearnedEnergy<P, X> energy, List<Item<P, X>> val, long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 4242);
    List<Double> trues = new ArrayList<>();
    List<Double> wrongs = new ArrayList<>();
    for (Item<P, X> it : val) {
      try (var s = Ops.scope()) {
        List<X> c = new ArrayList<>();
        c.add(it.answer());
        for (int i = 0; i < 8; i++) c.add(task.perturb(it.problem(), it.answer(), rng));
        c.addAll(it.arNegatives());
        float[] e = energy.energies(it.problem(), c);
        trues.add((double) e[0]);
        for (int i = 1; i < e.length; i++) wrongs.add((double) e[i]);
      }
    }
    double[] w = wrongs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double maxTrue = trues.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double minWrong = w.length == 0 ? Double.POSITIVE_INFINITY : w[0];
    boolean separated = maxTrue < minWrong;
    double accept =
        separated ? (maxTrue + minWrong) / 2 : w[(int) Math.floor(0.01 * (w.length - 1))];
    double trueAccepted =
        trues.stream().filter(t -> t <= accept).count() / (double) Math.max(1, trues.size());
    return new Calibration(accept, separated, maxTrue, minWrong, trueAccepted, val.size());
  }

  /** Generated held-out items (no AR negatives) for a test or a quick evaluation. */
  public static <P, X> List<Item<P, X>> heldOut(Task<P, X> task, int n, long seed) {
    List<Example<P, X>> held = new ArrayList<>();
    for (int i = 0; i < n; i++) held.add(task.generate(-(seed * 1_000_003L + i + 1)));
    return withArNegatives(task, held, null, 0, seed, msg -> {});
  }

  /**
   * Loads a trained energy and its calibration from a run directory (or its checkpoints folder);
   * checks the task.
   */
  public static Loaded load(Path path, String task) {
    Path p = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    if (!Files.exists(p)) {
      throw new IllegalArgumentException(
          "energy checkpoint not found: "
              + path
              + " (run: strata train reasoning --task "
              + task
              + ")");
    }
    Path runDir =
        p.getFileName().toString().equals("checkpoints") ? p.toAbsolutePath().getParent() : p;
    Checkpoint.State state = Checkpoint.readState(p);
    CrossEncoderEnergyNet net;
    try {
      JsonNode root = JSON.readTree(state.modelConfig());
      String holds = root.path("task").asString("");
      if (!holds.equals(task)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + path
                + " holds "
                + (holds.isEmpty() ? "no cross-encoder energy" : "a " + holds + " energy")
                + ", not "
                + task);
      }
      net =
          new CrossEncoderEnergyNet(JSON.treeToValue(root.get("config"), CrossEncoderConfig.class));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "checkpoint " + path + " does not hold a " + task + " energy (" + e.getMessage() + ")");
    }
    Checkpoint.loadModel(p, net);
    Path calFile = runDir.resolve("calibration.json");
    if (!Files.isRegularFile(calFile)) {
      throw new IllegalArgumentException(
          "no calibration.json in "
              + runDir
              + "; training writes it when it ends — rerun "
              + "strata train reasoning --task "
              + task);
    }
    try {
      return new Loaded(net, task, JSON.readValue(Files.readString(calFile), Calibration.class));
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "calibration file "
              + calFile
              + " is unreadable ("
              + e.getMessage()
              + "); rerun training");
    }
  }
}
