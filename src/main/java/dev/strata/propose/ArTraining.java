package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.Checkpoint;
import dev.strata.train.Fit;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains an autoregressive proposer ({@link CausalLm}) on (prompt, answer) token pairs of a task,
 * teacher-forced, with the cross-entropy on the answer tokens only (the prompt is the condition,
 * not a target): AdamW with warm-up + cosine through the shared {@link Recipe} (checkpoints,
 * resume, metrics; the CLI plots them), a validation loss and answer-token accuracy on held-out
 * examples. With a time budget the number of steps is planned from probe steps, as {@code
 * LmTraining} does.
 */
public final class ArTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** One training pair: prompt tokens (ending with a separator) and answer tokens. */
  public record Example(long[] prompt, long[] answer) {}

  /**
   * Deterministic examples by index (generation and augmentation seeded by the index), so a resumed
   * run sees the same data.
   */
  @FunctionalInterface
  public interface ExampleSource {
    Example example(long index);

    /**
     * A fixed list as an endless source: epoch after epoch, each epoch the whole list in an order
     * drawn from {@code seed} and the epoch number, so index i always names the same example.
     */
    static ExampleSource of(List<Example> examples, long seed) {
      if (examples.isEmpty()) throw new IllegalArgumentException("no examples to train on");
      List<Example> fixed = List.copyOf(examples);
      int n = fixed.size();
      return new ExampleSource() {
        private long epoch = -1;
        private int[] order;

        @Override
        public synchronized Example example(long index) {
          long e = Math.floorDiv(index, n);
          if (e != epoch) {
            order = shuffled(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e));
            epoch = e;
          }
          return fixed.get(order[(int) Math.floorMod(index, n)]);
        }
      };
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      for (int i = n - 1; i > 0; i--) { // Fisher–Yates
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      return order;
    }
  }

  /**
   * The model a checkpoint holds: the task it was trained for, the LM's shape and the planned
   * steps.
   */
  public record ModelSpec(String task, LmConfig lm, long plannedSteps) {
    static ModelSpec fromJson(String json, Path where) {
      if (DiffusionProposerTraining.isDiffusion(json)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + where
                + " holds a masked-diffusion proposer, not an "
                + "autoregressive one (use --proposer diffusion)");
      }
      try {
        var root = (tools.jackson.databind.node.ObjectNode) JSON.readTree(json);
        if (root.get("lm") instanceof tools.jackson.databind.node.ObjectNode lm
            && !lm.has("dropout")) {
          lm.put(
              "dropout", 0.0); // checkpoints written before LmConfig had dropout trained without it
        }
        ModelSpec s = JSON.treeToValue(root, ModelSpec.class);
        if (s.lm() == null || s.task() == null) throw new IllegalArgumentException("no proposer");
        return s;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "checkpoint " + where + " does not hold a Strata reasoning proposer");
      }
    }
  }

  /**
   * @param task task name stored with the checkpoint
   * @param lm model shape
   * @param recipe budget, steps, batch (examples per step), learning rates, warm-up, weight decay,
   *     clip, seed, eval interval, run directory (checkpoints/, metrics.jsonl), progress bar
   * @param valExamples held-out examples per validation
   * @param keepCheckpoints newest checkpoints kept (0: every one, e.g. to bench accuracy against
   *     training time)
   */
  public record Options(
      String task, LmConfig lm, Recipe recipe, int valExamples, int keepCheckpoints) {
    public Options {
      if (keepCheckpoints < 0)
        throw new IllegalArgumentException(
            "--keep-checkpoints must be ≥ 0 (0: all), got " + keepCheckpoints);
    }

    /** Keeps the newest {@link #KEEP} checkpoints. */
    public Options(String task, LmConfig lm, Recipe recipe, int valExamples) {
      this(task, lm, recipe, valExamples, KEEP);
    }
  }

  /** Checkpoints a proposer training keeps unless told otherwise. */
  public static final int KEEP = 3;

  /** What a run produced. */
  public record Outcome(
      long params,
      long steps,
      double seconds,
      double trainLoss,
      double valLoss,
      double valTokenAccuracy,
      TrainResult.StopReason stop,
      Path checkpoint,
      Path metrics) {}

  /** A trained proposer model with its spec. */
  public record Loaded(CausalLm model, ModelSpec spec, long step) {}

  private ArTraining() {}

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static Outcome run(Options o, ExampleSource train, ExampleSource val, boolean resume) {
    Path checkpoints = o.recipe().checkpoints();
    ModelSpec spec =
        resume
            ? ModelSpec.fromJson(Checkpoint.readState(checkpoints).modelConfig(), checkpoints)
            : new ModelSpec(o.task(), o.lm(), 0);
    Ops.seed(o.recipe().seed());
    return fit(o, spec, new CausalLm(spec.lm()), train, val, resume);
  }

  /**
   * Fine-tunes a trained proposer: the model of {@code from} (a run directory, its checkpoint root
   * or one checkpoint; it must hold a proposer of {@code o.task()}, whose shape replaces {@code
   * o.lm()}) trained from its weights by {@code o.recipe()} with a fresh optimizer and schedule.
   * Without {@code val} (null) nothing is validated.
   */
  public static Outcome fineTune(Options o, Path from, ExampleSource train, ExampleSource val) {
    Loaded base = load(from, o.task());
    Ops.seed(o.recipe().seed());
    return fit(o, new ModelSpec(o.task(), base.spec().lm(), 0), base.model(), train, val, false);
  }

  /**
   * A training objective other than the cross-entropy: the loss of 0-based step i of {@code model}.
   */
  @FunctionalInterface
  public interface Objective {
    Tensor loss(CausalLm model, long step);
  }

  /**
   * Fine-tunes a trained proposer on {@code objective} (e.g. a policy-gradient loss on its own
   * samples) instead of examples: the model of {@code from} trained by {@code o.recipe()}'s fixed
   * steps with a fresh optimizer and schedule, through the same loop as {@link #fineTune(Options,
   * Path, ExampleSource, ExampleSource)}.
   */
  public static Outcome fineTune(Options o, Path from, Objective objective) {
    Loaded base = load(from, o.task());
    Ops.seed(o.recipe().seed());
    CausalLm model = base.model();
    ModelSpec spec = new ModelSpec(o.task(), base.spec().lm(), 0);
    TrainResult t =
        proposerLoop(
                Fit.of(o.recipe(), model, step -> objective.loss(model, step)),
                o.keepCheckpoints(),
                0)
            .modelConfig(
                steps -> JSON.writeValueAsString(new ModelSpec(spec.task(), spec.lm(), steps)))
            .run(false);
    return outcome(model.parameterCount(), t);
  }

  private static Outcome fit(
      Options o,
      ModelSpec spec,
      CausalLm model,
      ExampleSource train,
      ExampleSource val,
      boolean resume) {
    Recipe r = o.recipe();
    Example first = train.example(0);
    Fit fit =
        proposerLoop(
            Fit.of(r, model, step -> answerLoss(model, batch(train, step * r.batch(), r.batch()))),
            o.keepCheckpoints(),
            (long) r.batch() * (first.prompt().length + first.answer().length));
    if (val != null) fit.eval(step -> validate(model, val, o.valExamples(), r.batch()));
    TrainResult t =
        fit
            // whole batches from far into the stream: sources may vary by batch
            .plan(
                spec.plannedSteps(),
                i -> answerLoss(model, batch(train, (1_000_000L + i) * r.batch(), r.batch())),
                1.08)
            .modelConfig(
                steps -> JSON.writeValueAsString(new ModelSpec(spec.task(), spec.lm(), steps)))
            .run(resume);
    return outcome(model.parameterCount(), t);
  }

  /**
   * The loop settings every proposer training shares: the time budget with 15% slack (the steps
   * were planned for it), checkpoints every 2 minutes and at the end ({@code keep} newest kept), a
   * progress bar or a status line every 50 steps.
   */
  static Fit proposerLoop(Fit fit, int keep, long tokensPerStep) {
    return fit.budgetSlack(1.15)
        .checkpointEverySeconds(120)
        .keepCheckpoints(keep)
        .tokensPerStep(tokensPerStep);
  }

  /** A proposer run's outcome from its training result. */
  static Outcome outcome(long params, TrainResult t) {
    return new Outcome(
        params,
        t.step(),
        t.seconds(),
        t.loss(),
        t.eval().getOrDefault("val_loss", Double.NaN),
        t.eval().getOrDefault("val_token_accuracy", Double.NaN),
        t.reason(),
        t.checkpoint(),
        t.metrics());
  }

  /** Examples {@code [from, from+n)} of a source. */
  public static List<Example> batch(ExampleSource source, long from, int n) {
    Example[] out = new Example[n];
    for (int i = 0; i < n; i++) out[i] = source.example(from + i);
    return List.of(out);
  }

  /**
   * Mean cross-entropy of the answer tokens, teacher-forced; all examples share the prompt and
   * answer lengths.
   */
  public static Tensor answerLoss(CausalLm model, List<Example> examples) {
    Tensor[] io = inputs(examples);
    int p = examples.get(0).prompt().length;
    int len = examples.get(0).answer().length;
    Tensor logits =
        model
            .logits(io[0])
            .narrow(1, p - 1, len); // (B, L, V): the predictions of the answer tokens
    return crossEntropy(logits.reshape(-1, model.config.vocab()), io[1].reshape(-1));
  }

  /** {ids (B, P+L−1), answer targets (B, L)}. */
  static Tensor[] inputs(List<Example> examples) {
    int b = examples.size();
    int p = examples.get(0).prompt().length;
    int len = examples.get(0).answer().length;
    long[] ids = new long[b * (p + len - 1)];
    long[] targets = new long[b * len];
    for (int r = 0; r < b; r++) {
      Example e = examples.get(r);
      if (e.prompt().length != p || e.answer().length != len) {
        throw new IllegalArgumentException(
            "examples of one batch must share prompt and answer lengths");
      }
      System.arraycopy(e.prompt(), 0, ids, r * (p + len - 1), p);
      System.arraycopy(e.answer(), 0, ids, r * (p + len - 1) + p, len - 1);
      System.arraycopy(e.answer(), 0, targets, r * len, len);
    }
    return new Tensor[] {tensor(ids, b, p + len - 1), tensor(targets, b, len)};
  }

  /**
   * Validation loss and teacher-forced answer-token accuracy on the first {@code n} held-out
   * examples.
   */
  static Map<String, Double> validate(CausalLm model, ExampleSource val, int n, int batch) {
    double loss = 0;
    double correct = 0;
    double tokens = 0;
    int batches = 0;
    for (int from = 0; from < n; from += batch) {
      try (var s = Ops.scope()) {
        List<Example> ex = batch(val, from, Math.min(batch, n - from));
        Tensor[] io = inputs(ex);
        int p = ex.get(0).prompt().length;
        int len = ex.get(0).answer().length;
        Tensor logits = model.logits(io[0]).narrow(1, p - 1, len); // (B, L, V)
        loss += item(crossEntropy(logits.reshape(-1, model.config.vocab()), io[1].reshape(-1)));
        long[] pred = longs(argmax(logits, -1).contiguous());
        long[] target = longs(io[1]);
        for (int i = 0; i < pred.length; i++) if (pred[i] == target[i]) correct++;
        tokens += pred.length;
        batches++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("val_loss", loss / batches);
    m.put("val_token_accuracy", correct / tokens);
    return m;
  }

  /**
   * A run directory's checkpoint root, or the path itself (a root or one checkpoint); it must
   * exist.
   */
  static Path checkpointRoot(Path path) {
    Path p = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    if (!Files.exists(p)) throw new IllegalArgumentException("checkpoint not found: " + path);
    return p;
  }

  /**
   * Loads a trained proposer from a run directory, its checkpoint root, or one checkpoint; checks
   * the task.
   */
  public static Loaded load(Path path, String task) {
    Path p = checkpointRoot(path);
    Checkpoint.State state = Checkpoint.readState(p);
    ModelSpec spec = ModelSpec.fromJson(state.modelConfig(), p);
    if (!spec.task().equals(task)) {
      throw new IllegalArgumentException(
          "checkpoint " + path + " holds a " + spec.task() + " proposer, not " + task);
    }
    CausalLm model = new CausalLm(spec.lm());
    Checkpoint.loadModel(p, model);
    return new Loaded(model, spec, state.step());
  }
}
