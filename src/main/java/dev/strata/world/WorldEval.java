package dev.strata.world;

import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.search.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The evaluation protocol of LeWM (Maes et al. 2026) on Two-Room. Start states are drawn (seed 42)
 * from <b>held-out</b> trajectories only; the goal is the state {@code offset} = 25 steps later on
 * the same trajectory. The planner plans {@code horizon} action chunks in latent space (CEM by
 * default), executes {@code replanEvery} actions, and replans, for {@code budget} = 50 environment
 * steps in all; success = the agent within 16 px of the goal at any step (the episode ends there).
 */
public final class WorldEval {
  /** Protocol parameters. */
  public record Protocol(
      int episodes, long seed, int offset, int budget, int horizon, int replanEvery) {
    public static Protocol paper(int episodes) {
      return new Protocol(episodes, 42, 25, 50, 5, 25);
    }

    public String describe(TwoRoomConfig env) {
      return String.format(
          "%d episodes, starts drawn with seed %d from held-out trajectories, goal %d steps later, "
              + "%d-step budget, replan every %d steps, success = within %.0f px of the goal at any step",
          episodes, seed, offset, budget, replanEvery, env.successRadius());
    }
  }

  /** A start and goal taken from held-out episode {@code episode} at step {@code t}. */
  public record Task(
      int episode, int t, double startX, double startY, double goalX, double goalY) {}

  /**
   * One episode: success, the final distance to the goal, steps taken, plan times, and the path.
   */
  public record EpisodeResult(
      Task task,
      boolean success,
      double finalDistance,
      int steps,
      double[] planSeconds,
      double[] xs,
      double[] ys,
      double[][] firstPlanPath) {}

  /**
   * One episode without its paths (result.json, reports): which task, the outcome, the mean plan
   * time.
   */
  public record EpisodeSummary(
      int heldOutEpisode,
      int startStep,
      boolean success,
      double finalDistance,
      int steps,
      double meanPlanSeconds) {
    public static EpisodeSummary of(EpisodeResult r) {
      return new EpisodeSummary(
          r.task().episode(),
          r.task().t(),
          r.success(),
          r.finalDistance(),
          r.steps(),
          Arrays.stream(r.planSeconds()).average().orElse(Double.NaN));
    }
  }

  /** Aggregate of one policy over the tasks. */
  public record Summary(
      String policy,
      int episodes,
      int successes,
      double successRate,
      double ciLow,
      double ciHigh,
      double meanFinalDistance,
      double meanPlanSeconds,
      double medianPlanSeconds,
      int plans) {}

  private WorldEval() {}

  /**
   * {@code n} tasks from the held-out episodes (those long enough for the offset), drawn with
   * {@code seed}.
   */
  public static List<Task> tasks(Trajectories data, int n, long seed, int offset) {
    if (data.heldOut == 0)
      throw new IllegalArgumentException("the dataset has no held-out episodes to evaluate on");
    SplittableRandom rng = new SplittableRandom(seed);
    List<Task> out = new ArrayList<>();
    int tries = 0;
    while (out.size() < n) {
      if (++tries > 1000 * n)
        throw new IllegalArgumentException("no held-out episode is " + offset + " steps long");
      int e = data.trainEpisodes() + rng.nextInt(data.heldOut);
      if (data.length(e) < offset) continue;
      int t = rng.nextInt(data.length(e) - offset + 1);
      out.add(
          new Task(
              e,
              t,
              data.stateX(e, t),
              data.stateY(e, t),
              data.stateX(e, t + offset),
              data.stateY(e, t + offset)));
    }
    return out;
  }

  /** Embeddings (N, D) of agent positions, rendered and encoded in eval mode without gradients. */
  public static Tensor encode(
      WorldModel model, TwoRoomRenderer renderer, double[] xs, double[] ys) {
    int s = model.config.imageSize();
    try (var g = Ops.noGrad()) {
      return model.encode(Ops.tensor(renderer.renderBatch(xs, ys, s), xs.length, 3, s, s));
    }
  }

  /** Runs the planner on every task. */
  public static List<EpisodeResult> plan(
      WorldModel model, TwoRoomConfig env, List<Task> tasks, Protocol p, LatentPlanner planner) {
    model.eval();
    TwoRoom room = new TwoRoom(env);
    LatentGoalEnergy energy = new LatentGoalEnergy(model);
    GaussianPlanProposer prior = new GaussianPlanProposer();
    float[] mean = Ops.floats(model.actionEncoder.mean);
    float[] std = Ops.floats(model.actionEncoder.std);
    int k = model.config.chunkDim();
    int fs = model.config.frameskip();
    List<EpisodeResult> results = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      try (Scope scope = Ops.scope()) {
        Tensor goal =
            encode(
                model, room.renderer(), new double[] {task.goalX()}, new double[] {task.goalY()});
        room.reset(task.startX(), task.startY(), task.goalX(), task.goalY());
        List<Double> planTimes = new ArrayList<>();
        double[] xs = new double[p.budget() + 1], ys = new double[p.budget() + 1];
        xs[0] = task.startX();
        ys[0] = task.startY();
        int steps = 0;
        boolean success = false;
        double[][] firstPlan = null;
        while (steps < p.budget() && !success) {
          long t0 = System.nanoTime();
          float[] plan;
          try (Scope planScope = Ops.scope()) {
            double[] q = room.state();
            Tensor z = encode(model, room.renderer(), new double[] {q[0]}, new double[] {q[1]});
            PlanProblem problem = new PlanProblem(z, goal, p.horizon(), k);
            LatentPlanner seeded = planner.withSeed(planner.seed() * 1_000_003L + i * 101L + steps);
            Outcome<float[]> o = seeded.run(problem, prior, energy, seeded.fullBudget());
            plan = o.best();
          }
          planTimes.add((System.nanoTime() - t0) / 1e9);
          double[][] actions = actions(plan, mean, std, k, fs);
          if (firstPlan == null) firstPlan = openLoop(room.state(), actions, env.speed());
          for (int a = 0;
              a < Math.min(p.replanEvery(), actions.length) && steps < p.budget() && !success;
              a++) {
            double[] q = room.step(actions[a]).state();
            steps++;
            xs[steps] = q[0];
            ys[steps] = q[1];
            success = TwoRoom.reached(q[0], q[1], task.goalX(), task.goalY(), env.successRadius());
          }
        }
        double[] q = room.state();
        results.add(
            new EpisodeResult(
                task,
                success,
                Math.hypot(q[0] - task.goalX(), q[1] - task.goalY()),
                steps,
                planTimes.stream().mapToDouble(Double::doubleValue).toArray(),
                Arrays.copyOf(xs, steps + 1),
                Arrays.copyOf(ys, steps + 1),
                firstPlan));
      }
    }
    return results;
  }

  /**
   * A plan of z-scored chunks → raw actions (horizon·frameskip, 2), de-normalised and clipped to
   * [−1, 1].
   */
  static double[][] actions(float[] plan, float[] mean, float[] std, int k, int frameskip) {
    int chunks = plan.length / k;
    double[][] out = new double[chunks * frameskip][2];
    for (int c = 0; c < chunks; c++) {
      for (int j = 0; j < k; j++) {
        double raw = plan[c * k + j] * std[j] + mean[j];
        out[c * frameskip + j / 2][j % 2] = Math.max(-1, Math.min(1, raw));
      }
    }
    return out;
  }

  /** The path the true dynamics would follow under a plan's actions, from (x, y). */
  static double[][] openLoop(double[] start, double[][] actions, double speed) {
    double[] xs = new double[actions.length + 1], ys = new double[actions.length + 1];
    xs[0] = start[0];
    ys[0] = start[1];
    for (int i = 0; i < actions.length; i++) {
      double[] q = TwoRoom.move(xs[i], ys[i], actions[i][0], actions[i][1], speed);
      xs[i + 1] = q[0];
      ys[i + 1] = q[1];
    }
    return new double[][] {xs, ys};
  }

  /** The random policy: uniform actions in [−1, 1]², same tasks, budget and success rule. */
  public static List<EpisodeResult> random(
      TwoRoomConfig env, List<Task> tasks, Protocol p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<EpisodeResult> results = new ArrayList<>();
    for (Task task : tasks) {
      double x = task.startX(), y = task.startY();
      int steps = 0;
      boolean success = false;
      while (steps < p.budget() && !success) {
        double[] q =
            TwoRoom.move(x, y, 2 * rng.nextDouble() - 1, 2 * rng.nextDouble() - 1, env.speed());
        x = q[0];
        y = q[1];
        steps++;
        success = TwoRoom.reached(x, y, task.goalX(), task.goalY(), env.successRadius());
      }
      results.add(
          new EpisodeResult(
              task,
              success,
              Math.hypot(x - task.goalX(), y - task.goalY()),
              steps,
              new double[0],
              new double[0],
              new double[0],
              null));
    }
    return results;
  }

  public static Summary summarize(String policy, List<EpisodeResult> results) {
    int n = results.size(), s = 0;
    double dist = 0;
    List<Double> times = new ArrayList<>();
    for (EpisodeResult r : results) {
      if (r.success()) s++;
      dist += r.finalDistance();
      for (double t : r.planSeconds()) times.add(t);
    }
    double[] ci = wilson(s, n);
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double meanT =
        sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    double medT = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    return new Summary(
        policy, n, s, (double) s / n, ci[0], ci[1], dist / n, meanT, medT, sorted.length);
  }

  /** The Wilson score interval at 95% for s successes in n trials. */
  public static double[] wilson(int s, int n) {
    double z = 1.959963984540054, p = (double) s / n;
    double denom = 1 + z * z / n;
    double centre = (p + z * z / (2 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /**
   * Linear-probe R² of the agent's (x, y) from the embedding: fit (ridge 1e-4) on {@code fitN}
   * frames of training episodes, score on {@code testN} frames of held-out episodes.
   */
  public static double[] probe(
      WorldModel model, Trajectories data, int fitN, int testN, long seed) {
    model.eval();
    TwoRoomRenderer renderer = new TwoRoomRenderer(data.config.sigma());
    SplittableRandom rng = new SplittableRandom(seed);
    Object[] fit = probeSet(model, renderer, data, fitN, rng, false);
    Object[] test = probeSet(model, renderer, data, testN, rng, true);
    LinearProbe probe = LinearProbe.fit((float[][]) fit[0], (double[][]) fit[1], 1e-4);
    return probe.r2((float[][]) test[0], (double[][]) test[1]);
  }

  private static Object[] probeSet(
      WorldModel model,
      TwoRoomRenderer renderer,
      Trajectories data,
      int n,
      SplittableRandom rng,
      boolean heldOut) {
    double[][] targets = new double[n][2];
    for (int i = 0; i < n; i++) {
      int e =
          heldOut
              ? data.trainEpisodes() + rng.nextInt(data.heldOut)
              : rng.nextInt(data.trainEpisodes());
      int t = rng.nextInt(data.length(e) + 1);
      targets[i][0] = data.stateX(e, t);
      targets[i][1] = data.stateY(e, t);
    }
    float[][] features = new float[n][];
    int d = model.config.embedDim();
    for (int from = 0; from < n; from += 256) {
      int m = Math.min(256, n - from);
      double[] xs = new double[m], ys = new double[m];
      for (int i = 0; i < m; i++) {
        xs[i] = targets[from + i][0];
        ys[i] = targets[from + i][1];
      }
      try (Scope s = Ops.scope()) {
        float[] z = Ops.floats(encode(model, renderer, xs, ys));
        for (int i = 0; i < m; i++) features[from + i] = Arrays.copyOfRange(z, i * d, (i + 1) * d);
      }
    }
    return new Object[] {features, targets};
  }
}
