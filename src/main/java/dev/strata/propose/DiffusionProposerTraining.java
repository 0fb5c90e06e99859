package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.report.Plots;
import dev.strata.train.AdamW;
import dev.strata.train.Checkpoint;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.StepPlanner;
import dev.strata.train.TrainResult;
import dev.strata.train.Trainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a masked-diffusion proposer ({@link MaskedDiffusionLm}) on the same (prompt, answer)
 * examples as {@link ArTraining}, with the conditional objective: the prompt stays visible, only
 * answer tokens are masked (t ~ U(0, 1) stratified, p = (1 − ε)t + ε), loss Σ_masked CE / p per
 * answer token (MDLM/LLaDA); optionally MGDM's focal token re-weighting (Ye et al., ICLR'25), which
 * weighs the hard tokens more. Same loop as the AR path (shared {@link ArTraining#loopConfig}):
 * warm-up + cosine, checkpoints with checksums, exact resume (the masking draws come from
 * libtorch's RNG, which the checkpoint stores), metrics, validation NELBO and masked-token accuracy
 * on fixed held-out masks.
 */
public final class DiffusionProposerTraining {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The {@code kind} a diffusion proposer checkpoint's model config carries. */
  public static final String KIND = "diffusion-proposer";

  /**
   * @param task task name stored with the checkpoint
   * @param model denoiser shape (its context must be prompt + answer length)
   * @param focalGamma MGDM token re-weighting exponent γ (0: plain MDLM loss; 2: the paper's focal
   *     setting)
   * @param batch examples per step
   * @param budgetSeconds training wall time (0: use maxSteps)
   * @param maxSteps steps (0: as many as the budget allows)
   * @param lr peak learning rate (warm-up + cosine to lr/10)
   * @param warmupSteps warm-up steps
   * @param weightDecay AdamW weight decay
   * @param seed seed of the initialisation and of libtorch's RNG (masks)
   * @param evalEvery steps between validations
   * @param valExamples held-out examples per validation
   * @param out run directory (checkpoints/, metrics.jsonl, loss.png)
   * @param progressBar show a progress bar
   * @param keepCheckpoints newest checkpoints kept (0: every one)
   */
  public record Options(
      String task,
      DiffusionConfig model,
      double focalGamma,
      int batch,
      double budgetSeconds,
      long maxSteps,
      double lr,
      long warmupSteps,
      double weightDecay,
      long seed,
      long evalEvery,
      int valExamples,
      Path out,
      boolean progressBar,
      int keepCheckpoints) {
    /** Keeps the newest {@link ArTraining#KEEP} checkpoints. */
    public Options(
        String task,
        DiffusionConfig model,
        double focalGamma,
        int batch,
        double budgetSeconds,
        long maxSteps,
        double lr,
        long warmupSteps,
        double weightDecay,
        long seed,
        long evalEvery,
        int valExamples,
        Path out,
        boolean progressBar) {
      this(
          task,
          model,
          focalGamma,
          batch,
          budgetSeconds,
          maxSteps,
          lr,
          warmupSteps,
          weightDecay,
          seed,
          evalEvery,
          valExamples,
          out,
          progressBar,
          ArTraining.KEEP);
    }

    public Options {
      if (keepCheckpoints < 0)
        throw new IllegalArgumentException(
            "--keep-checkpoints must be ≥ 0 (0: all), got " + keepCheckpoints);
      if (budgetSeconds <= 0 && maxSteps <= 0)
        throw new IllegalArgumentException("give a time budget or a number of steps");
      if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
      if (!(lr > 0))
        throw new IllegalArgumentException("learning rate must be positive, got " + lr);
      if (focalGamma < 0)
        throw new IllegalArgumentException("token re-weighting γ must be ≥ 0, got " + focalGamma);
    }
  }

  /** The model a checkpoint holds. */
  public record ModelSpec(
      String kind, String task, DiffusionConfig diffusion, double focalGamma, long plannedSteps) {
    static ModelSpec fromJson(String json, Path where) {
      if (!isDiffusion(json)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + where
                + " holds an autoregressive proposer, not a masked-diffusion "
                + "one (use --proposer ar, or train one with --task <task>-diffusion)");
      }
      try {
        return JSON.readValue(json, ModelSpec.class);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "checkpoint " + where + " does not hold a Strata diffusion proposer");
      }
    }
  }

  /** A trained denoiser with its spec. */
  public record Loaded(MaskedDiffusionLm model, ModelSpec spec, long step) {}

  private DiffusionProposerTraining() {}

  /** Whether a checkpoint's model config is a diffusion proposer's. */
  public static boolean isDiffusion(String modelConfig) {
    return Checkpoint.modelKind(modelConfig, KIND);
  }

  /**
   * Trains from scratch, or continues the newest checkpoint under {@code out} when {@code resume}
   * is set.
   */
  public static ArTraining.Outcome run(
      Options o, ArTraining.ExampleSource train, ArTraining.ExampleSource val, boolean resume) {
    Path checkpoints = o.out().resolve("checkpoints");
    ModelSpec spec =
        resume
            ? ModelSpec.fromJson(Checkpoint.readState(checkpoints).modelConfig(), checkpoints)
            : new ModelSpec(KIND, o.task(), o.model(), o.focalGamma(), 0);
    ArTraining.Example first = train.example(0);
    int length = first.prompt().length + first.answer().length;
    if (length != spec.diffusion().context()) {
      throw new IllegalArgumentException(
          "the model's context ("
              + spec.diffusion().context()
              + ") is not prompt + answer ("
              + length
              + ")");
    }
    Ops.seed(o.seed());
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    double gamma = spec.focalGamma();
    try (AdamW optimizer =
        new AdamW(ParamGroup.standard(model, o.weightDecay()), o.lr(), 0.9, 0.99, 1e-8)) {
      long steps =
          spec.plannedSteps() > 0
              ? spec.plannedSteps()
              : StepPlanner.steps(
                  o.budgetSeconds(),
                  o.maxSteps(),
                  model,
                  i ->
                      loss(
                          model,
                          ArTraining.batch(train, (1_000_000L + i) * o.batch(), o.batch()),
                          gamma),
                  1.08);
      spec = new ModelSpec(KIND, spec.task(), spec.diffusion(), gamma, steps);
      var config =
          ArTraining.loopConfig(
                  o.out(),
                  steps,
                  o.budgetSeconds(),
                  o.evalEvery(),
                  (long) o.batch() * length,
                  o.progressBar(),
                  JSON.writeValueAsString(spec))
              .withKeepCheckpoints(o.keepCheckpoints());
      LrSchedule schedule =
          LrSchedule.warmupCosine(
              o.lr(), o.lr() / 10, Math.min(o.warmupSteps(), steps / 10), steps);
      Trainer trainer =
          new Trainer(
                  model,
                  optimizer,
                  schedule,
                  config,
                  step -> loss(model, ArTraining.batch(train, step * o.batch(), o.batch()), gamma))
              .onEval(step -> validate(model, val, o.valExamples(), o.batch(), o.seed()));
      TrainResult r = resume ? trainer.resume(checkpoints) : trainer.run();
      Map<String, Double> eval = r.eval();
      Path plot =
          Plots.runCurves(
              o.out(),
              "diffusion proposer: " + o.task(),
              "answer NELBO (nats/token)",
              "loss",
              "train loss",
              "val_loss",
              "validation NELBO");
      return new ArTraining.Outcome(
          model.parameterCount(),
          r.step(),
          r.seconds(),
          r.loss(),
          eval.getOrDefault("val_loss", Double.NaN),
          eval.getOrDefault("val_token_accuracy", Double.NaN),
          r.reason(),
          r.checkpoint(),
          o.out().resolve("metrics.jsonl"),
          plot);
    }
  }

  /**
   * The conditional loss of a batch (answer tokens masked, prompt visible), MGDM-weighted when γ
   * &gt; 0.
   */
  public static Tensor loss(
      MaskedDiffusionLm model, List<ArTraining.Example> examples, double focalGamma) {
    Tensor[] io = inputs(examples);
    return model.loss(io[0], io[1], focalGamma);
  }

  /** {x0 = prompt ++ answer (B, P+L) int64, maskable (B, P+L) bool: true on the answer}. */
  static Tensor[] inputs(List<ArTraining.Example> examples) {
    int b = examples.size();
    int p = examples.get(0).prompt().length;
    int len = p + examples.get(0).answer().length;
    long[] ids = new long[b * len];
    for (int r = 0; r < b; r++) {
      ArTraining.Example e = examples.get(r);
      if (e.prompt().length != p || e.prompt().length + e.answer().length != len) {
        throw new IllegalArgumentException(
            "examples of one batch must share prompt and answer lengths");
      }
      System.arraycopy(e.prompt(), 0, ids, r * len, p);
      System.arraycopy(e.answer(), 0, ids, r * len + p, len - p);
    }
    Tensor maskable = arange(len).ge(new Scalar((long) p)).unsqueeze(0).expand(b, len); // (B, P+L)
    return new Tensor[] {tensor(ids, b, len), maskable};
  }

  /**
   * Validation NELBO per answer token and the accuracy of the argmax at masked answer positions, on
   * the first {@code n} held-out examples with masks drawn from a fixed seed (the Trainer evaluates
   * on a forked RNG), so successive validations differ only by the model.
   */
  static Map<String, Double> validate(
      MaskedDiffusionLm model, ArTraining.ExampleSource val, int n, int batch, long seed) {
    Ops.seed(seed ^ 0x5EEDL);
    double loss = 0;
    long correct = 0;
    long masked = 0;
    int batches = 0;
    for (int from = 0; from < n; from += batch) {
      try (PointerScope s = new PointerScope();
          var g = noGrad()) {
        Tensor[] io = inputs(ArTraining.batch(val, from, Math.min(batch, n - from)));
        loss += item(model.nelbo(io[0], io[1]));
        long[] acc = model.maskedAccuracy(io[0], io[1]);
        correct += acc[0];
        masked += acc[1];
        batches++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("val_loss", loss / batches);
    m.put("val_token_accuracy", masked == 0 ? Double.NaN : (double) correct / masked);
    return m;
  }

  /**
   * Loads a trained diffusion proposer from a run directory, its checkpoint root, or one
   * checkpoint; checks the task.
   */
  public static Loaded load(Path path, String task) {
    Path p = ArTraining.checkpointRoot(path);
    Checkpoint.State state = Checkpoint.readState(p);
    ModelSpec spec = ModelSpec.fromJson(state.modelConfig(), path);
    if (!spec.task().equals(task)) {
      throw new IllegalArgumentException(
          "checkpoint " + path + " holds a " + spec.task() + " diffusion proposer, not " + task);
    }
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    Checkpoint.loadModel(p, model);
    model.eval();
    return new Loaded(model, spec, state.step());
  }
}
