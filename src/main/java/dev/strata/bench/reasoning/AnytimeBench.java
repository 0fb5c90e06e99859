package dev.strata.bench.reasoning;

import dev.strata.bench.anytime.AnytimeCurve;
import dev.strata.bench.anytime.AnytimePoint;
import dev.strata.bench.anytime.AnytimeSweep;
import dev.strata.bench.anytime.Combination;
import dev.strata.bench.anytime.Readout;
import dev.strata.propose.Proposer;
import dev.strata.report.Plots;
import dev.strata.search.BestOfN;
import dev.strata.search.ConstraintPropagator;
import dev.strata.search.GibbsRepair;
import dev.strata.search.GuidedDepthFirst;
import dev.strata.search.ImportanceResampling;
import dev.strata.search.IndependenceMetropolis;
import dev.strata.search.MinConflictRepair;
import dev.strata.search.RemaskRepair;
import dev.strata.search.Search;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Formatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * {@code strata bench anytime}: accuracy against compute for every proposer × energy × search of a
 * reasoning task on its shared test set. The budget is energy evaluations per problem; each
 * combination runs once per problem at the largest budget and its answer at every smaller budget is
 * read off the evaluations it made ({@link AnytimeSweep}, which says when that is exact). The
 * complete search counts only its leaves as evaluations (propagation is free), so its proposals and
 * CPU seconds are reported beside them. Combinations that do not apply (no single-site moves, no
 * remasking, no value head, no checkpoint) are left out with the reason, never approximated.
 *
 * <p>The headline: the smallest budget from which the best combination with a learned part (a
 * trained proposer or energy) stays at 99% accuracy or more ({@link AnytimeCurve#reaches}), against
 * the uniform proposer with the rule energy under the same search — the ratio is the search effort
 * learning saves.
 */
public final class AnytimeBench {
  /** The accuracy the headline asks for. */
  public static final double TARGET = 0.99;

  /**
   * What to sweep.
   *
   * @param task the task
   * @param proposers proposers to sweep
   * @param energies energies to sweep
   * @param searches searches to sweep
   * @param budgets energy evaluations per problem, ascending
   * @param limit problems of each test set (the first ones)
   * @param data folder of the shared data sets
   * @param checkpoints trained proposers by kind (a kind missing here: its default run, if any)
   * @param energyCheckpoint the learned energy (null: its default run, if any)
   * @param seed base seed (problem i's runs use seed + i)
   * @param seconds wall-time safety limit of one run
   */
  public record Options(
      ReasoningTask task,
      List<AnytimeProposer> proposers,
      List<AnytimeEnergy> energies,
      List<AnytimeSearch> searches,
      long[] budgets,
      int limit,
      Path data,
      Map<AnytimeProposer, Path> checkpoints,
      Path energyCheckpoint,
      long seed,
      double seconds) {}

  /** A combination left out, and why. */
  public record Omitted(String combination, String reason) {}

  /**
   * The headline of one set.
   *
   * @param text the line, as printed
   * @param learned the best combination with a learned part reaching the target (null: none)
   * @param learnedBudget its smallest budget at the target (−1: none)
   * @param baseline uniform + rule with the same search
   * @param baselineBudget its smallest budget at the target (−1: not within the largest budget)
   * @param ratio baselineBudget / learnedBudget (NaN when either is missing)
   */
  public record Headline(
      String text,
      String learned,
      long learnedBudget,
      String baseline,
      long baselineBudget,
      double ratio) {}

  /** One test set's curves. */
  public record SetResult(
      String set,
      int problems,
      List<AnytimeSweep.Result> combinations,
      List<Omitted> omitted,
      Headline headline) {}

  /** What the bench produced: the tables as printed, the JSON root, and the sets for the plots. */
  public record Result(String text, Map<String, Object> json, List<SetResult> sets) {}

  private AnytimeBench() {}

  /**
   * Runs the sweep. {@code log} hears a line per combination (and what is left out), {@code bar}
   * asks for a progress bar over problems, {@code partial} receives the JSON root so far after each
   * combination (with {@code "complete": false}) so an interrupted sweep keeps what it measured.
   */
  public static Result run(
      Options o, Consumer<String> log, boolean bar, Consumer<Map<String, Object>> partial) {
    return switch (o.task()) {
      case SUDOKU -> sweep(new SudokuAnytime(), o, log, bar, partial);
      case COUNTDOWN -> sweep(new CountdownAnytime(), o, log, bar, partial);
      case PATHSTAR -> sweep(new PathStarAnytime(), o, log, bar, partial);
    };
  }

  private static <P, X> Result sweep(
      AnytimeTask<P, X> task,
      Options o,
      Consumer<String> log,
      boolean bar,
      Consumer<Map<String, Object>> partial) {
    if (o.proposers().isEmpty() || o.energies().isEmpty() || o.searches().isEmpty())
      throw new IllegalArgumentException(
          "--proposers, --energies and --searches each need at least one choice");
    AnytimeSweep.checkBudgets(o.budgets());
    if (o.limit() <= 0)
      throw new IllegalArgumentException("--limit must be positive, got " + o.limit());
    if (!(o.seconds() > 0))
      throw new IllegalArgumentException("--seconds must be positive, got " + o.seconds());
    long largest = o.budgets()[o.budgets().length - 1];
    if (largest > Integer.MAX_VALUE)
      throw new IllegalArgumentException("--budgets must be at most " + Integer.MAX_VALUE);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("task", task.task().toString());
    root.put("budgets", o.budgets());
    root.put("limit", o.limit());
    root.put("seed", o.seed());
    root.put("seconds_per_run", o.seconds());
    root.put("method", METHOD);

    // models first: a wrong checkpoint is reported before anything runs
    List<Omitted> omittedAll = new ArrayList<>();
    Map<AnytimeProposer, Proposer<P, X>> proposers = new LinkedHashMap<>();
    Map<String, Object> proposerInfo = new LinkedHashMap<>();
    for (AnytimeProposer kind : o.proposers()) {
      Path ckpt = checkpoint(task, kind, o.checkpoints());
      if (kind.family != AnytimeProposer.Family.UNIFORM && ckpt == null) {
        String line =
            kind + " rows left out: no checkpoint (add them with " + option(task, kind) + ")";
        log.accept(line);
        omittedAll.add(new Omitted(kind + " + *", line));
        continue;
      }
      Proposer<P, X> p =
          switch (kind.family) {
            case UNIFORM -> task.uniform();
            case AR -> task.ar(ckpt);
            case DIFFUSION -> task.diffusion(ckpt);
          };
      if (p == null) {
        String line = kind + " rows left out: " + task.task() + " has no " + kind + " proposer";
        log.accept(line);
        omittedAll.add(new Omitted(kind + " + *", line));
        continue;
      }
      proposers.put(kind, p);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("checkpoint", ckpt == null ? null : ckpt.toString());
      info.put(
          "decoding",
          switch (kind.family) {
            case UNIFORM -> "uniform";
            case AR -> task.arDecoding();
            case DIFFUSION -> "easy-first, temperature 1, one token per step";
          });
      proposerInfo.put(kind.toString(), info);
    }
    Map<AnytimeEnergy, AnytimeTask.EnergySetup<P, X>> energies = new LinkedHashMap<>();
    Map<String, Object> energyInfo = new LinkedHashMap<>();
    for (AnytimeEnergy kind : o.energies()) {
      if (kind == AnytimeEnergy.RULE) {
        energies.put(kind, task.rule());
        energyInfo.put(kind.toString(), Map.of("accept_below", 0));
        continue;
      }
      Path ckpt = energyCheckpoint(task, o.energyCheckpoint());
      if (ckpt == null) {
        String line =
            "learned-energy rows left out: no checkpoint (add them with --energy-checkpoint runs/"
                + task.task()
                + "-ebm)";
        log.accept(line);
        omittedAll.add(new Omitted("* + learned + *", line));
        continue;
      }
      var setup = task.learned(ckpt);
      energies.put(kind, setup);
      energyInfo.put(
          kind.toString(),
          Map.of("checkpoint", ckpt.toString(), "accept_below", setup.acceptBelow()));
    }
    root.put("proposers", proposerInfo);
    root.put("energies", energyInfo);
    root.put("searches", searchInfo(o.searches()));

    Formatter text = new Formatter(new StringBuilder());
    List<SetResult> sets = new ArrayList<>();
    root.put("sets", sets);
    root.put("complete", false);
    Duration wall = Duration.ofMillis((long) (o.seconds() * 1000));
    for (AnytimeTask.ProblemSet<P> set : task.sets(o.data(), o.limit())) {
      List<AnytimeSweep.Result> results = new ArrayList<>();
      List<Omitted> omitted = new ArrayList<>(omittedAll);
      List<Combination<P, X>> planned = new ArrayList<>();
      for (var p : proposers.entrySet()) {
        for (var e : energies.entrySet()) {
          for (AnytimeSearch s : o.searches()) {
            var label =
                new Combination.Label(p.getKey().toString(), e.getKey().toString(), s.toString());
            String why = whyNot(s, e.getValue());
            if (why != null) omitted.add(new Omitted(label.toString(), why));
            else planned.add(combination(label, s, p.getValue(), e.getValue(), (int) largest));
          }
        }
      }
      if (omitted.size() > omittedAll.size())
        log.accept(
            set.name()
                + ": left out "
                + omitted.subList(omittedAll.size(), omitted.size()).stream()
                    .map(Omitted::combination)
                    .toList()
                + " (reasons in the JSON)");
      SetResult current = new SetResult(set.name(), set.problems().size(), results, omitted, null);
      sets.add(current);
      int k = 0;
      for (Combination<P, X> c : planned) {
        k++;
        log.accept(
            String.format(
                "%s [%d/%d] %s: %d problems at up to %,d evaluations%s",
                set.name(),
                k,
                planned.size(),
                c.label(),
                set.problems().size(),
                largest,
                c.separate() ? ", one run per budget" : ""));
        AnytimeSweep.Result r;
        try (ProgressBar pb =
            bar ? progressBar(c.label().toString(), set.problems().size()) : null) {
          r =
              AnytimeSweep.run(
                  c,
                  set.problems(),
                  task::correct,
                  o.budgets(),
                  wall,
                  o.seed(),
                  i -> {
                    if (pb != null) pb.stepTo(i + 1);
                  });
        }
        results.add(r);
        AnytimePoint last = r.points().getLast();
        log.accept(
            String.format(
                "%s [%d/%d] %s: %.1f%% at %,d, %.3f CPU s/problem",
                set.name(),
                k,
                planned.size(),
                c.label(),
                100 * last.accuracy(),
                last.budget(),
                last.meanCpuSeconds()));
        partial.accept(root);
      }
      Headline h = headline(results, largest);
      sets.set(
          sets.size() - 1, new SetResult(set.name(), set.problems().size(), results, omitted, h));
      table(text, sets.getLast(), o.budgets());
    }
    root.put("complete", true);
    return new Result(text.toString(), root, sets);
  }

  /** How the numbers are obtained, for the JSON reader. */
  static final String METHOD =
      "each combination runs once per problem at the largest budget (energy evaluations; proposals"
          + " unlimited); the answer at budget b is the lowest-energy candidate among its first b"
          + " evaluations (importance resampling: one drawn with weight exp(-E/tau) among them),"
          + " checked by the task's rules; CPU at b is process CPU until the energy call holding the"
          + " b-th evaluation ended. Exact for the complete and repair searches, statistically"
          + " equivalent for the batched ones (the last batch of a run at b is clamped). The"
          + " complete search counts only leaves as evaluations; propagation is free.";

  private static Map<String, Object> searchInfo(List<AnytimeSearch> searches) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (AnytimeSearch s : searches) {
      m.put(
          s.toString(),
          switch (s) {
            case BEST_OF_N -> "BestOfN, batch " + AnytimeSearch.BATCH;
            case IMPORTANCE ->
                "ImportanceResampling, n = the budget, tau " + AnytimeSearch.TEMPERATURE;
            case METROPOLIS ->
                "IndependenceMetropolis, batch "
                    + AnytimeSearch.BATCH
                    + ", tau "
                    + AnytimeSearch.TEMPERATURE;
            case MIN_CONFLICT -> "MinConflictRepair, noise 0.1, patience 60";
            case GIBBS -> "GibbsRepair, tau " + AnytimeSearch.TEMPERATURE + ", patience 60";
            case REMASK -> "RemaskRepair, width 4, share 0.5, extra 0.02, patience 4";
            case VALUE_BEAM -> "ValueBeamProposer (not run: no value head)";
            case COMPLETE ->
                "GuidedDepthFirst; evaluations are leaves, propagation is free (see proposals, CPU)";
          });
    }
    return m;
  }

  /** Why search {@code s} does not apply with this energy, or null when it does. */
  static String whyNot(AnytimeSearch s, AnytimeTask.EnergySetup<?, ?> e) {
    String missing = e.missing().get(s);
    return switch (s) {
      case MIN_CONFLICT, GIBBS ->
          e.moves() == null ? (missing != null ? missing : "no single-site moves") : null;
      case REMASK -> e.remasking() == null ? (missing != null ? missing : "no remasking") : null;
      case COMPLETE ->
          e.complete() == null ? (missing != null ? missing : "no constraint propagator") : null;
      case VALUE_BEAM ->
          "no prefix value head is fitted here (strata bench reasoning --task sudoku --value-beam 8"
              + " fits one and measures the beam)";
      default -> null;
    };
  }

  static <P, X> Combination<P, X> combination(
      Combination.Label label,
      AnytimeSearch s,
      Proposer<P, X> proposer,
      AnytimeTask.EnergySetup<P, X> e,
      int largest) {
    double tau = AnytimeSearch.TEMPERATURE;
    LongFunction<Search<P, X>> search =
        switch (s) {
          case BEST_OF_N -> seed -> new BestOfN<>(AnytimeSearch.BATCH, seed);
          case IMPORTANCE -> seed -> new ImportanceResampling<>(largest, tau, seed);
          case METROPOLIS -> seed -> new IndependenceMetropolis<>(AnytimeSearch.BATCH, tau, seed);
          case MIN_CONFLICT -> seed -> new MinConflictRepair<>(e.moves(), 0.1, 60, seed);
          case GIBBS -> seed -> new GibbsRepair<>(e.moves(), tau, 60, seed);
          case REMASK -> seed -> new RemaskRepair<>(e.remasking(), 4, 0.5, 0.02, 4, seed);
          case COMPLETE -> complete(e.complete().constraints());
          case VALUE_BEAM -> throw new IllegalStateException("value beam is left out");
        };
    if (s == AnytimeSearch.COMPLETE) {
      return new Combination<>(
          label,
          proposer,
          e.complete().leafEnergy(),
          e.complete().acceptBelow(),
          search,
          Readout.lowest(),
          false);
    }
    return new Combination<>(
        label,
        proposer,
        e.energy(),
        e.acceptBelow(),
        search,
        s == AnytimeSearch.IMPORTANCE ? Readout.boltzmann(tau) : Readout.lowest(),
        false);
  }

  private static <P, X, S> LongFunction<Search<P, X>> complete(
      ConstraintPropagator<P, X, S> constraints) {
    return seed -> new GuidedDepthFirst<>(constraints, seed);
  }

  /** The checkpoint of a trained proposer: given, else its default run when that exists. */
  private static Path checkpoint(
      AnytimeTask<?, ?> task, AnytimeProposer kind, Map<AnytimeProposer, Path> given) {
    if (kind.family == AnytimeProposer.Family.UNIFORM) return null;
    Path p = given.get(kind);
    if (p != null) {
      if (!Files.exists(p))
        throw new IllegalArgumentException(
            "no " + kind + " checkpoint at " + p + " (" + option(task, kind) + ")");
      return p;
    }
    if (kind == AnytimeProposer.AR) {
      Path d = TrainingTask.proposer(task.task(), ProposerKind.AR).defaultRunDir();
      if (Files.exists(d)) return d;
    }
    return null;
  }

  private static Path energyCheckpoint(AnytimeTask<?, ?> task, Path given) {
    if (given != null) {
      if (!Files.exists(given))
        throw new IllegalArgumentException(
            "no energy checkpoint at "
                + given
                + " (train one: strata train reasoning --task "
                + task.task()
                + "-ebm)");
      return given;
    }
    Path d = Path.of("runs", task.task() + "-ebm");
    return Files.exists(d) ? d : null;
  }

  /** The option that gives a proposer's checkpoint. */
  static String option(AnytimeTask<?, ?> task, AnytimeProposer kind) {
    return switch (kind) {
      case AR -> "--ar-checkpoint runs/" + task.task() + "-ar";
      case DIFFUSION -> "--diffusion-checkpoint runs/" + task.task() + "-diffusion";
      default -> "--checkpoint " + kind + "=<run>";
    };
  }

  private static ProgressBar progressBar(String name, int problems) {
    return new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(problems)
        .setUnit(" problems", 1)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  /**
   * The headline of a set: the smallest budget at which a combination with a learned part reaches
   * {@link #TARGET}, against uniform + rule with the same search.
   */
  static Headline headline(List<AnytimeSweep.Result> results, long largest) {
    AnytimeSweep.Result best = null;
    long bestBudget = -1;
    for (AnytimeSweep.Result r : results) {
      if (!hasLearnedPart(r.label())) continue;
      long b = AnytimeCurve.reaches(r.points(), TARGET);
      if (b < 0) continue;
      if (best == null
          || b < bestBudget
          || (b == bestBudget && cpuAt(r, b) < cpuAt(best, bestBudget))) {
        best = r;
        bestBudget = b;
      }
    }
    if (best == null) {
      return new Headline(
          String.format(
              "headline: no combination with a learned part reaches %.0f%% within %,d evaluations",
              100 * TARGET, largest),
          null,
          -1,
          null,
          -1,
          Double.NaN);
    }
    String search = best.label().search();
    String baseline =
        new Combination.Label(
                AnytimeProposer.UNIFORM.toString(), AnytimeEnergy.RULE.toString(), search)
            .toString();
    AnytimeSweep.Result base = null;
    for (AnytimeSweep.Result r : results) if (r.label().toString().equals(baseline)) base = r;
    String learned =
        String.format(
            "headline: %s reaches %.0f%% from %,d evaluations per problem on",
            best.label(), 100 * TARGET, bestBudget);
    if (base == null) {
      return new Headline(
          learned + "; " + baseline + " was not run (add uniform and rule to the lists)",
          best.label().toString(),
          bestBudget,
          baseline,
          -1,
          Double.NaN);
    }
    long b0 = AnytimeCurve.reaches(base.points(), TARGET);
    if (b0 < 0) {
      return new Headline(
          String.format(
              "%s; %s does not within %,d (search effort saved > %.0fx)",
              learned, baseline, largest, (double) largest / bestBudget),
          best.label().toString(),
          bestBudget,
          baseline,
          -1,
          Double.NaN);
    }
    double ratio = (double) b0 / bestBudget;
    return new Headline(
        String.format(
            "%s; %s from %,d: %.2fx the evaluations (search effort saved by learning)",
            learned, baseline, b0, ratio),
        best.label().toString(),
        bestBudget,
        baseline,
        b0,
        ratio);
  }

  private static boolean hasLearnedPart(Combination.Label l) {
    return !l.proposer().equals(AnytimeProposer.UNIFORM.toString())
        || !l.energy().equals(AnytimeEnergy.RULE.toString());
  }

  private static double cpuAt(AnytimeSweep.Result r, long budget) {
    for (AnytimePoint p : r.points()) if (p.budget() == budget) return p.meanCpuSeconds();
    return Double.NaN;
  }

  /**
   * One set's table: a row per combination, accuracy at each budget, then the largest budget's
   * costs.
   */
  private static void table(Formatter text, SetResult s, long[] budgets) {
    text.format(
        "%n%s, %d problems: accuracy (%%) at each budget of energy evaluations per problem%n",
        s.set(), s.problems());
    int width =
        Math.max(
            36,
            s.combinations().stream().mapToInt(r -> r.label().toString().length()).max().orElse(0));
    text.format("%-" + width + "s", "proposer + energy + search");
    for (long b : budgets) text.format(" %7s", b);
    text.format("   %12s %10s %10s%n", "CPU s/prob", "evals", "proposals");
    for (AnytimeSweep.Result r : s.combinations()) {
      text.format("%-" + width + "s", r.label());
      for (AnytimePoint p : r.points()) text.format(" %7.1f", 100 * p.accuracy());
      AnytimePoint last = r.points().getLast();
      text.format(
          "   %12.4f %10.1f %10.1f%n",
          last.meanCpuSeconds(), last.meanEvaluations(), last.meanProposals());
    }
    text.format(
        "(costs at the largest budget, per problem; the complete search counts only leaves as"
            + " evaluations, propagation is free: compare its proposals and CPU)%n");
    if (!s.omitted().isEmpty()) {
      text.format("left out:%n");
      for (Omitted m : s.omitted()) text.format("  %s: %s%n", m.combination(), m.reason());
    }
    text.format("%s%n", s.headline().text());
  }

  /**
   * One PNG per set: accuracy against evaluations per problem (log x), a curve per combination, and
   * each complete search with the rule energy marked by a vertical line at the evaluations it used
   * on average at the largest budget (the exact search's cost). Returns the files written.
   */
  public static List<Path> plot(Path prefix, ReasoningTask task, List<SetResult> sets) {
    List<Path> out = new ArrayList<>();
    for (SetResult s : sets) {
      if (s.combinations().isEmpty()) continue;
      Map<String, double[][]> series = new LinkedHashMap<>();
      for (AnytimeSweep.Result r : s.combinations()) {
        double[] x = r.points().stream().mapToDouble(AnytimePoint::budget).toArray();
        double[] y = r.points().stream().mapToDouble(p -> 100 * p.accuracy()).toArray();
        series.put(r.label().toString(), new double[][] {x, y});
      }
      Map<String, Double> marks = new LinkedHashMap<>();
      for (AnytimeSweep.Result r : s.combinations()) {
        if (!r.label().search().equals(AnytimeSearch.COMPLETE.toString())
            || !r.label().energy().equals(AnytimeEnergy.RULE.toString())) continue;
        double cost = r.points().getLast().meanEvaluations();
        if (cost > 0) marks.put(String.format("%s: mean cost %.1f", r.label(), cost), cost);
      }
      String name = prefix.getFileName().toString();
      Path png =
          prefix.resolveSibling(
              sets.size() == 1 ? name + ".png" : name + "-" + slug(s.set()) + ".png");
      try {
        Plots.accuracyPlot(
            png,
            task + " (" + s.set() + ", " + s.problems() + " problems): accuracy vs compute",
            "energy evaluations per problem (log)",
            series,
            marks);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
      }
      out.add(png);
    }
    return out;
  }

  private static String slug(String set) {
    String s = set.replaceAll("\\.[a-z]+$", "").replaceAll("[^A-Za-z0-9]+", "-");
    return s.length() > 40 ? s.substring(0, 40) : s;
  }
}
