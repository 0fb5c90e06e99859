package dev.strata.bench.reasoning;

import static dev.strata.nn.Ops.*;

import dev.strata.energy.EnergyDiscrepancy;
import dev.strata.energy.EnergyModel;
import dev.strata.energy.EnergyNet;
import dev.strata.energy.EnergyNetConfig;
import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.PairwiseEnergyConfig;
import dev.strata.energy.PairwiseEnergyNet;
import dev.strata.energy.PairwiseTables;
import dev.strata.energy.RankingNce;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.propose.ArProposer;
import dev.strata.propose.RandomSource;
import dev.strata.search.LearnedPairPropagator;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuSymmetry;
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
 * Trains the residual energy of the Sudoku proposer (spec "Residual EBM") on generated puzzles: the
 * solution is the positive; ranking NCE ({@link RankingNce}) ranks it below the AR proposer's own
 * wrong samples (hard negatives, drawn once per pool puzzle at temperature 1 with only the clues
 * fixed — no constraint mask, so no rule shapes them) and below 2–3-cell perturbations; the
 * energy-discrepancy loss ({@link EnergyDiscrepancy}) ranks it below single-cell perturbations.
 * Every example is seen under a random {@link SudokuSymmetry} (digit relabelling, transposition,
 * band/stack and row/column-within-band permutations — a structural prior: those maps preserve the
 * rows, columns and boxes), applied to puzzle, solution and negatives alike. The positives are
 * valid grids from the generator; the rule energy is never an input. Two models: the pairwise
 * energy ({@link PairwiseEnergyNet}, default — it also prices partial grids, so a complete search
 * can prune with it) and the transformer {@link EnergyNet}. After training, a {@link Calibration}
 * on held-out generated puzzles fixes the acceptance threshold (and, for the pairwise model, the
 * conflict threshold of {@link LearnedPairPropagator}); it is written next to the checkpoints.
 */
public final class SudokuEbmTraining {
  public static final String TASK = "sudoku-ebm";
  public static final String PAIRWISE = "pairwise";
  public static final String TRANSFORMER = "transformer";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SudokuEbmTraining() {}

  /**
   * The pairwise energy over the 81 cells: 531k pair weights (9 digits × 81 cells, squared) and a
   * unary table.
   */
  public static PairwiseEnergyConfig pairwiseNet() {
    return new PairwiseEnergyConfig(10, 10, 81);
  }

  /**
   * The transformer energy: width 64, 3 bidirectional blocks over the 9×9 grid (row, column and box
   * embeddings).
   */
  public static EnergyNetConfig transformerNet() {
    return new EnergyNetConfig(10, 10, 81, 64, 4, 3, 9, 3);
  }

  /** Cells as sites: problem tokens are the givens (0 = blank), values the digits. */
  public static final LearnedPairPropagator.Codec<SudokuGrid, SudokuGrid> SITES =
      new LearnedPairPropagator.Codec<>() {
        public long[] problem(SudokuGrid p) {
          long[] t = new long[81];
          for (int c = 0; c < 81; c++) t[c] = p.get(c);
          return t;
        }

        public long[] candidate(SudokuGrid p, SudokuGrid x) {
          return problem(x);
        }

        public int[] givens(SudokuGrid p) {
          return p.values();
        }

        public SudokuGrid decode(SudokuGrid p, int[] values) {
          return SudokuGrid.of(values);
        }

        public int valueAt(SudokuGrid x, int site) {
          return x.get(site);
        }
      };

  /** One training puzzle with its negatives. */
  record Item(SudokuGrid puzzle, SudokuGrid solution, List<SudokuGrid> arNegatives) {}

  /**
   * @param kind {@link #PAIRWISE} or {@link #TRANSFORMER}
   * @param arSamples AR negatives per puzzle (drawn once per pool puzzle; 0: 3-cell perturbations
   *     take their place)
   * @param perturbed 2–3-cell perturbations per puzzle, ranked by NCE with the AR negatives
   * @param singleCell single-cell perturbations per puzzle, for the energy-discrepancy loss
   *     (pairwise model: any positive value means all of them, 81 × 8 minus the givens, at the cost
   *     of one forward pass)
   * @param recipe budget, steps, batch (puzzles per step), learning rates, warm-up, weight decay,
   *     clip, seed, eval interval, run directory, progress bar
   */
  public record Options(
      String kind, int poolSize, int arSamples, int perturbed, int singleCell, Recipe recipe) {
    public Options {
      if (!kind.equals(PAIRWISE) && !kind.equals(TRANSFORMER)) {
        throw new IllegalArgumentException(
            "unknown energy model '" + kind + "'; choose " + PAIRWISE + " or " + TRANSFORMER);
      }
      if (arSamples < 0
          || perturbed < 0
          || singleCell < 0
          || arSamples + perturbed + singleCell == 0) {
        throw new IllegalArgumentException(
            "the energy needs a positive batch and at least one negative per puzzle");
      }
    }

    /**
     * The recipe the Sudoku energies train with: AdamW at {@code lr} after 50 warm-up steps, cosine
     * to lr/10, weight decay 0.01, clip 1, evaluation every 100 steps.
     */
    public static Recipe recipe(
        double budgetSeconds,
        long maxSteps,
        int batch,
        double lr,
        long seed,
        Path out,
        boolean progressBar) {
      return new Recipe(
          budgetSeconds, maxSteps, batch, lr, lr / 10, 50, 0.01, 1.0, seed, 100, out, progressBar);
    }
  }

  /**
   * Where the trained energy separates held-out solutions from their single-cell perturbations.
   *
   * @param acceptBelow a grid is accepted when its energy is ≤ this (midway between the highest
   *     solution and the lowest perturbation when they separate; else just above the highest
   *     solution)
   * @param pairThreshold pairwise model: weights above it are conflicts (midway between the largest
   *     pair weight inside a solution and the smallest "strongest pair a perturbation introduced");
   *     NaN otherwise
   * @param separated whether every held-out solution scored below every perturbation
   */
  public record Calibration(
      double acceptBelow,
      double pairThreshold,
      boolean separated,
      double maxSolutionEnergy,
      double minPerturbedEnergy,
      double maxSolutionPair,
      double minConflictPair,
      int puzzles) {}

  public record Outcome(
      long params,
      long steps,
      double seconds,
      double loss,
      double rankVsPerturbed,
      double rankVsAr,
      TrainResult.StopReason stop,
      Path checkpoint,
      Calibration calibration) {}

  /** A trained energy with its calibration. */
  public record Loaded(Module net, EnergyModel model, String kind, Calibration calibration) {
    public LearnedEnergy<SudokuGrid, SudokuGrid> energy() {
      if (net instanceof PairwiseEnergyNet p) return learned(p);
      return learned((EnergyNet) net);
    }

    /** The pairwise model's weights; fails for the transformer. */
    public PairwiseTables tables() {
      if (!(net instanceof PairwiseEnergyNet p)) {
        throw new IllegalArgumentException(
            "the "
                + kind
                + " energy cannot price partial grids; train with --energy-model pairwise");
      }
      return p.tables();
    }
  }

  private static <M extends Module & EnergyModel> LearnedEnergy<SudokuGrid, SudokuGrid> learned(
      M net) {
    return new LearnedEnergy<>(net, SITES, 256);
  }

  public static Outcome run(
      Options o,
      ArProposer<SudokuGrid, SudokuGrid> proposer,
      List<SudokuGenerator.Generated> trainPool,
      List<SudokuGenerator.Generated> valPool,
      Consumer<String> log) {
    List<Item> train =
        withArNegatives(
            trainPool.subList(0, Math.min(o.poolSize(), trainPool.size())),
            proposer,
            o.arSamples(),
            o.recipe().seed(),
            log);
    List<Item> val = withArNegatives(valPool, proposer, o.arSamples(), o.recipe().seed() + 7, log);
    Ops.seed(o.recipe().seed());
    if (o.kind().equals(PAIRWISE)) {
      return train(
          new PairwiseEnergyNet(pairwiseNet()),
          JSON.writeValueAsString(Map.of("kind", PAIRWISE, "config", pairwiseNet())),
          o,
          train,
          val,
          log);
    }
    return train(
        new EnergyNet(transformerNet()),
        JSON.writeValueAsString(Map.of("kind", TRANSFORMER, "config", transformerNet())),
        o,
        train,
        val,
        log);
  }

  private static <M extends Module & EnergyModel> Outcome train(
      M net, String modelJson, Options o, List<Item> train, List<Item> val, Consumer<String> log) {
    Recipe r = o.recipe();
    TrainResult t =
        Fit.of(r, net, step -> loss(net, train, o, step))
            .eval(step -> rankAccuracy(learned(net), val, r.seed()))
            // without --steps the loop runs for the budget, the schedule assumes 0.05 s a step
            .pace(0.05, 0, 100_000)
            .modelConfig(steps -> modelJson)
            .run();
    Calibration cal =
        calibrate(
            learned(net), net instanceof PairwiseEnergyNet p ? p.tables() : null, val, r.seed());
    AtomicFiles.writeString(r.out().resolve("calibration.json"), JSON.writeValueAsString(cal));
    log.accept("calibration: " + cal);
    return new Outcome(
        net.parameterCount(),
        t.step(),
        t.seconds(),
        t.loss(),
        t.eval().getOrDefault("rank_vs_perturbed", Double.NaN),
        t.eval().getOrDefault("rank_vs_ar", Double.NaN),
        t.reason(),
        t.checkpoint(),
        cal);
  }

  /**
   * Draws the AR negatives for every pool puzzle in one batched call, keeping only wrong grids. The
   * proposer samples at temperature 1 with the puzzle's clues fixed and no constraint mask: the
   * mask ({@code SudokuCodec.allowed}) would remove the digits a row, column or box peer holds, and
   * so put rule knowledge into the energy's training data.
   */
  static List<Item> withArNegatives(
      List<SudokuGenerator.Generated> pool,
      ArProposer<SudokuGrid, SudokuGrid> proposer,
      int k,
      long seed,
      Consumer<String> log) {
    List<SudokuGrid> repeated = new ArrayList<>();
    if (proposer != null) for (var g : pool) for (int i = 0; i < k; i++) repeated.add(g.puzzle());
    if (!repeated.isEmpty()) log.accept("drawing " + repeated.size() + " AR samples as negatives…");
    var samples =
        repeated.isEmpty()
            ? List.<ArProposer.Sample<SudokuGrid>>of()
            : proposer
                .with(new ArProposer.Decoding(1.0, 0, false, 256))
                .sample(repeated, repeated, new RandomSource(seed)); // the clues as fixed cells
    List<Item> out = new ArrayList<>();
    for (int p = 0; p < pool.size(); p++) {
      List<SudokuGrid> neg = new ArrayList<>();
      for (int i = 0; i < k && !samples.isEmpty(); i++) {
        SudokuGrid s = samples.get(p * k + i).candidate();
        if (!s.equals(pool.get(p).solution())) neg.add(s);
      }
      out.add(new Item(pool.get(p).puzzle(), pool.get(p).solution(), neg));
    }
    return out;
  }

  /** The solution with {@code cells} free cells set to other digits. */
  static SudokuGrid perturb(
      SudokuGrid puzzle, SudokuGrid solution, int cells, SplittableRandom rng) {
    SudokuGrid g = solution;
    for (int done = 0; done < cells; ) {
      int c = rng.nextInt(81);
      if (puzzle.get(c) != 0 || g.get(c) != solution.get(c)) continue;
      g = g.with(c, 1 + (solution.get(c) + rng.nextInt(8)) % 9);
      done++;
    }
    return g;
  }

  /**
   * Ranking NCE over (solution, AR negatives, 2–3-cell perturbations) + energy discrepancy over
   * single-cell perturbations: for the pairwise model all of them (every free cell × every other
   * digit, one forward pass, see {@link PairwiseEnergyNet#neighbourEnergies}); for the transformer
   * {@code singleCell} sampled ones.
   */
  static Tensor loss(EnergyModel net, List<Item> items, Options o, long step) {
    SplittableRandom rng = new SplittableRandom(o.recipe().seed() * 31 + step);
    int batch = o.recipe().batch();
    boolean exhaustive = net instanceof PairwiseEnergyNet && o.singleCell() > 0;
    int ranked = o.arSamples() + o.perturbed();
    int sampledSingles = exhaustive ? 0 : o.singleCell();
    int k = ranked + sampledSingles;
    long[] probs = new long[batch * (1 + k) * 81];
    long[] cands = new long[probs.length];
    long[] puzzles = new long[batch * 81];
    long[] solutions = new long[batch * 81];
    boolean[] fixedOrSame =
        new boolean[batch * 81 * 9]; // (B, 81, 9): given cell, or the digit it already has
    int row = 0;
    for (int b = 0; b < batch; b++) {
      Item it = items.get(rng.nextInt(items.size()));
      SudokuSymmetry s = SudokuSymmetry.random(rng);
      SudokuGrid puzzle = s.apply(it.puzzle());
      SudokuGrid solution = s.apply(it.solution());
      List<SudokuGrid> rows = new ArrayList<>();
      rows.add(solution);
      for (int i = 0; i < o.arSamples(); i++) {
        rows.add(
            it.arNegatives().isEmpty()
                ? perturb(puzzle, solution, 3, rng)
                : s.apply(it.arNegatives().get(i % it.arNegatives().size())));
      }
      for (int i = 0; i < o.perturbed(); i++) rows.add(perturb(puzzle, solution, 2 + i % 2, rng));
      for (int i = 0; i < sampledSingles; i++) rows.add(perturb(puzzle, solution, 1, rng));
      for (SudokuGrid g : rows) {
        for (int c = 0; c < 81; c++) {
          probs[row * 81 + c] = puzzle.get(c);
          cands[row * 81 + c] = g.get(c);
        }
        row++;
      }
      for (int c = 0; c < 81; c++) {
        puzzles[b * 81 + c] = puzzle.get(c);
        solutions[b * 81 + c] = solution.get(c);
        for (int v = 1; v <= 9; v++)
          fixedOrSame[(b * 81 + c) * 9 + v - 1] = puzzle.get(c) != 0 || solution.get(c) == v;
      }
    }
    Tensor e =
        net.forward(tensor(probs, row, 81), tensor(cands, row, 81)).view(batch, 1 + k); // (B, 1+K)
    Tensor positive = e.select(1, 0); // (B)
    Tensor loss = null;
    if (ranked > 0) loss = RankingNce.loss(positive, e.narrow(1, 1, ranked));
    Tensor ed = null;
    if (exhaustive) {
      Tensor neighbours =
          ((PairwiseEnergyNet) net)
              .neighbourEnergies(tensor(puzzles, batch, 81), tensor(solutions, batch, 81));
      Tensor gaps = positive.view(-1, 1, 1).sub(neighbours); // (B, 81, 9): E(y) − E(y^{c→v})
      gaps =
          maskedFill(gaps, tensor(fixedOrSame, batch, 81, 9), Double.NEGATIVE_INFINITY)
              .view(batch, -1);
      ed = EnergyDiscrepancy.lossFromGaps(gaps, 1.0);
    } else if (sampledSingles > 0) {
      ed = EnergyDiscrepancy.loss(positive, e.narrow(1, 1 + ranked, sampledSingles), 1.0);
    }
    if (ed != null) loss = loss == null ? ed : loss.add(ed);
    return loss;
  }

  /**
   * Held-out ranking: how often the solution scores below a 1-cell perturbation, and below each AR
   * negative.
   */
  static Map<String, Double> rankAccuracy(
      LearnedEnergy<SudokuGrid, SudokuGrid> energy, List<Item> val, long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 99);
    int wins = 0, total = 0, winsAr = 0, totalAr = 0;
    for (Item it : val) {
      try (var s = Ops.scope()) {
        List<SudokuGrid> c = new ArrayList<>();
        c.add(it.solution());
        c.add(perturb(it.puzzle(), it.solution(), 1, rng));
        c.addAll(it.arNegatives());
        float[] e = energy.energies(it.puzzle(), c);
        if (e[0] < e[1]) wins++;
        total++;
        for (int i = 2; i < e.length; i++) {
          if (e[0] < e[i]) winsAr++;
          totalAr++;
        }
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rank_vs_perturbed", (double) wins / Math.max(1, total));
    if (totalAr > 0) m.put("rank_vs_ar", (double) winsAr / totalAr);
    return m;
  }

  /**
   * Thresholds from held-out puzzles: 8 single-cell perturbations of each solution against the
   * solution.
   */
  static Calibration calibrate(
      LearnedEnergy<SudokuGrid, SudokuGrid> energy,
      PairwiseTables tables,
      List<Item> val,
      long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 4242);
    double maxSolution = Double.NEGATIVE_INFINITY, minPerturbed = Double.POSITIVE_INFINITY;
    double maxPair = Double.NEGATIVE_INFINITY, minConflict = Double.POSITIVE_INFINITY;
    for (Item it : val) {
      List<SudokuGrid> c = new ArrayList<>();
      c.add(it.solution());
      for (int i = 0; i < 8; i++) c.add(perturb(it.puzzle(), it.solution(), 1, rng));
      float[] e = energy.energies(it.puzzle(), c);
      maxSolution = Math.max(maxSolution, e[0]);
      for (int i = 1; i < e.length; i++) minPerturbed = Math.min(minPerturbed, e[i]);
      if (tables == null) continue;
      int[] y = it.solution().values();
      for (int i = 0; i < 81; i++)
        for (int j = i + 1; j < 81; j++) maxPair = Math.max(maxPair, tables.pair(i, y[i], j, y[j]));
      for (int p = 1; p < c.size(); p++) {
        int[] z = c.get(p).values();
        for (int i = 0; i < 81; i++) {
          if (z[i] == y[i]) continue;
          double strongest =
              Double
                  .NEGATIVE_INFINITY; // the largest weight the changed cell now has with any other
          for (int j = 0; j < 81; j++)
            if (j != i) strongest = Math.max(strongest, tables.pair(i, z[i], j, z[j]));
          minConflict = Math.min(minConflict, strongest);
        }
      }
    }
    boolean separated = maxSolution < minPerturbed;
    double accept =
        separated
            ? (maxSolution + minPerturbed) / 2
            : maxSolution + 1e-3 * Math.max(1, Math.abs(maxSolution));
    double pairThreshold =
        tables == null
            ? Double.NaN
            : maxPair < minConflict
                ? (maxPair + minConflict) / 2
                : maxPair + 1e-3 * Math.max(1, Math.abs(maxPair));
    return new Calibration(
        accept,
        pairThreshold,
        separated,
        maxSolution,
        minPerturbed,
        maxPair,
        minConflict,
        val.size());
  }

  /**
   * Loads a trained energy and its calibration from a run directory (or its checkpoints folder).
   */
  public static Loaded load(Path path) {
    Path p = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    if (!Files.exists(p)) {
      throw new IllegalArgumentException(
          "energy checkpoint not found: "
              + path
              + " (run: strata train reasoning --task sudoku-ebm)");
    }
    Path runDir =
        p.getFileName().toString().equals("checkpoints") ? p.toAbsolutePath().getParent() : p;
    Checkpoint.State state = Checkpoint.readState(p);
    Module net;
    String kind;
    try {
      JsonNode root = JSON.readTree(state.modelConfig());
      kind = root.path("kind").asString(TRANSFORMER);
      JsonNode cfg = root.has("config") ? root.get("config") : root;
      net =
          kind.equals(PAIRWISE)
              ? new PairwiseEnergyNet(JSON.treeToValue(cfg, PairwiseEnergyConfig.class))
              : new EnergyNet(JSON.treeToValue(cfg, EnergyNetConfig.class));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "checkpoint "
              + path
              + " does not hold a Sudoku energy ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + ")");
    }
    Checkpoint.loadModel(p, net);
    Path calFile = runDir.resolve("calibration.json");
    if (!Files.isRegularFile(calFile)) {
      throw new IllegalArgumentException(
          "no calibration.json in "
              + runDir
              + "; training writes it when it ends — rerun "
              + "strata train reasoning --task sudoku-ebm");
    }
    Calibration cal;
    try {
      cal = JSON.readValue(Files.readString(calFile), Calibration.class);
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "calibration file "
              + calFile
              + " is unreadable ("
              + e.getMessage()
              + "); rerun training");
    }
    return new Loaded(net, (EnergyModel) net, kind, cal);
  }
}
