package dev.strata.tasks.sudoku;

import static dev.strata.nn.Ops.*;

import dev.strata.energy.EnergyNet;
import dev.strata.energy.EnergyNetConfig;
import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.RankingNce;
import dev.strata.nn.Ops;
import dev.strata.propose.ArProposer;
import dev.strata.propose.RandomSource;
import dev.strata.train.AdamW;
import dev.strata.train.Checkpoint;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.TrainConfig;
import dev.strata.train.TrainResult;
import dev.strata.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains the residual energy of the Sudoku proposer (spec "Residual EBM"): an {@link EnergyNet} over (givens, grid)
 * with ranking NCE, the generated solution as the positive and, as negatives, the AR proposer's own samples (hard
 * negatives; drawn once for a pool of generated puzzles, with masked sampling so they keep the clues) plus
 * perturbations of the solution in 1–3 free cells (the single-position perturbations of energy discrepancy, used here
 * as extra ranking negatives). Every example is seen under a random {@link SudokuSymmetry}, applied to puzzle, solution
 * and negatives alike. The rule energy is never an input.
 */
public final class SudokuEbmTraining {
    public static final String TASK = "sudoku-ebm";

    /** The CPU energy net: width 64, 3 bidirectional blocks over the 9×9 grid (row, column and box embeddings). */
    public static EnergyNetConfig cpuNet() {
        return new EnergyNetConfig(10, 10, 81, 64, 4, 3, 9, 3);
    }

    /** Aligned streams: givens (0 = blank) and the candidate's digits. */
    public static final LearnedEnergy.Encoder<SudokuGrid, SudokuGrid> ENCODER = new LearnedEnergy.Encoder<>() {
        public long[] problem(SudokuGrid p) {
            long[] t = new long[81];
            for (int c = 0; c < 81; c++) t[c] = p.get(c);
            return t;
        }

        public long[] candidate(SudokuGrid p, SudokuGrid x) {
            long[] t = new long[81];
            for (int c = 0; c < 81; c++) t[c] = x.get(c);
            return t;
        }
    };

    /** One training puzzle with its negatives. */
    record Item(SudokuGrid puzzle, SudokuGrid solution, List<SudokuGrid> arNegatives) {}

    /**
     * @param batch      puzzles per step
     * @param perturbed  perturbation negatives per puzzle
     * @param arSamples  AR negatives per puzzle (drawn once per pool puzzle)
     */
    public record Options(EnergyNetConfig net, int poolSize, int batch, int perturbed, int arSamples, double budgetSeconds,
                          long maxSteps, double lr, long seed, Path out, boolean progressBar) {}

    public record Outcome(long params, long steps, double seconds, double loss, double rankVsPerturbed, double rankVsAr,
                          TrainResult.StopReason stop, Path checkpoint) {}

    private SudokuEbmTraining() {}

    public static Outcome run(Options o, ArProposer<SudokuGrid, SudokuGrid> proposer, List<SudokuGenerator.Generated> trainPool,
                              List<SudokuGenerator.Generated> valPool, Consumer<String> log) {
        List<Item> train = withArNegatives(trainPool.subList(0, Math.min(o.poolSize(), trainPool.size())), proposer, o.arSamples(), o.seed(), log);
        List<Item> val = withArNegatives(valPool, proposer, o.arSamples(), o.seed() + 7, log);
        Ops.seed(o.seed());
        EnergyNet net = new EnergyNet(o.net());
        Path checkpoints = o.out().resolve("checkpoints");
        try (AdamW optimizer = new AdamW(ParamGroup.standard(net, 0.01), o.lr(), 0.9, 0.99, 1e-8)) {
            long steps = o.maxSteps() > 0 ? o.maxSteps() : 100_000;
            TrainConfig config = TrainConfig.of(steps)
                    .withTimeBudgetSeconds(o.budgetSeconds())
                    .withGradClip(1.0)
                    .withEvalEvery(100)
                    .withCheckpoints(checkpoints, 0)
                    .withMetricsFile(o.out().resolve("metrics.jsonl"))
                    .withLogEvery(10)
                    .withProgressBar(o.progressBar())
                    .withPrintEvery(o.progressBar() ? 0 : 50)
                    .withModelConfig(JsonMapper.builder().build().writeValueAsString(o.net()));
            LrSchedule schedule = LrSchedule.warmupCosine(o.lr(), o.lr() / 10, 50, o.maxSteps() > 0 ? steps : (long) (o.budgetSeconds() / 0.5));
            Trainer trainer = new Trainer(net, optimizer, schedule, config, step -> loss(net, train, o, step))
                    .onEval(step -> rankAccuracy(net, val, o.seed()));
            TrainResult r = trainer.run();
            return new Outcome(net.parameterCount(), r.step(), r.seconds(), r.loss(),
                    r.eval().getOrDefault("rank_vs_perturbed", Double.NaN), r.eval().getOrDefault("rank_vs_ar", Double.NaN),
                    r.reason(), r.checkpoint());
        }
    }

    /** Draws the AR negatives for every pool puzzle in one batched call, keeping only wrong grids. */
    static List<Item> withArNegatives(List<SudokuGenerator.Generated> pool, ArProposer<SudokuGrid, SudokuGrid> proposer, int k,
                                      long seed, Consumer<String> log) {
        List<SudokuGrid> repeated = new ArrayList<>();
        for (var g : pool) for (int i = 0; i < k; i++) repeated.add(g.puzzle());
        log.accept("drawing " + repeated.size() + " AR samples as negatives…");
        var samples = k == 0 ? List.<ArProposer.Sample<SudokuGrid>>of()
                : proposer.with(new ArProposer.Decoding(1.0, 0, true, 256)).sample(repeated, null, new RandomSource(seed));
        List<Item> out = new ArrayList<>();
        for (int p = 0; p < pool.size(); p++) {
            List<SudokuGrid> neg = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                SudokuGrid s = samples.get(p * k + i).candidate();
                if (!s.equals(pool.get(p).solution())) neg.add(s);
            }
            out.add(new Item(pool.get(p).puzzle(), pool.get(p).solution(), neg));
        }
        return out;
    }

    /** The solution with {@code cells} free cells set to other digits. */
    static SudokuGrid perturb(SudokuGrid puzzle, SudokuGrid solution, int cells, SplittableRandom rng) {
        SudokuGrid g = solution;
        for (int done = 0; done < cells; ) {
            int c = rng.nextInt(81);
            if (puzzle.get(c) != 0) continue;
            g = g.with(c, 1 + (solution.get(c) + rng.nextInt(8)) % 9);
            done++;
        }
        return g;
    }

    static Tensor loss(EnergyNet net, List<Item> items, Options o, long step) {
        SplittableRandom rng = new SplittableRandom(o.seed() * 31 + step);
        int k = o.perturbed() + o.arSamples();
        long[] probs = new long[o.batch() * (1 + k) * 81];
        long[] cands = new long[probs.length];
        int row = 0;
        for (int b = 0; b < o.batch(); b++) {
            Item it = items.get(rng.nextInt(items.size()));
            SudokuSymmetry s = SudokuSymmetry.random(rng);
            SudokuGrid puzzle = s.apply(it.puzzle());
            SudokuGrid solution = s.apply(it.solution());
            List<SudokuGrid> rows = new ArrayList<>();
            rows.add(solution);
            for (int i = 0; i < o.arSamples(); i++) {
                rows.add(it.arNegatives().isEmpty() ? perturb(puzzle, solution, 3, rng)
                        : s.apply(it.arNegatives().get(i % it.arNegatives().size())));
            }
            for (int i = 0; i < o.perturbed(); i++) rows.add(perturb(puzzle, solution, 1 + i % 3, rng));
            for (SudokuGrid g : rows) {
                for (int c = 0; c < 81; c++) {
                    probs[row * 81 + c] = puzzle.get(c);
                    cands[row * 81 + c] = g.get(c);
                }
                row++;
            }
        }
        Tensor e = net.forward(tensor(probs, row, 81), tensor(cands, row, 81)).view(o.batch(), 1 + k); // (B, 1+K)
        return RankingNce.loss(e.select(1, 0), e.narrow(1, 1, k));
    }

    /** Held-out ranking: how often the solution scores below a 1-cell perturbation, and below each AR negative. */
    static Map<String, Double> rankAccuracy(EnergyNet net, List<Item> val, long seed) {
        var energy = new LearnedEnergy<>(net, ENCODER, 256);
        SplittableRandom rng = new SplittableRandom(seed + 99);
        int wins = 0, total = 0, winsAr = 0, totalAr = 0;
        for (Item it : val) {
            try (PointerScope s = new PointerScope()) {
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
        m.put("rank_vs_ar", (double) winsAr / Math.max(1, totalAr));
        return m;
    }

    /** Loads a trained energy net from a run directory or checkpoint. */
    public static EnergyNet load(Path path) {
        Path p = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
        if (!Files.exists(p)) throw new IllegalArgumentException("energy checkpoint not found: " + path);
        Checkpoint.State state = Checkpoint.readState(p);
        EnergyNetConfig cfg;
        try {
            cfg = JsonMapper.builder().build().readValue(state.modelConfig(), EnergyNetConfig.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + path + " does not hold a Sudoku energy net");
        }
        EnergyNet net = new EnergyNet(cfg);
        Checkpoint.loadModel(p, net);
        return net;
    }
}
