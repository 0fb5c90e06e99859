package dev.strata.propose;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.Checkpoint;
import dev.strata.train.Fit;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a masked-diffusion proposer ({@link MaskedDiffusionLm}) on the same (prompt, answer)
 * examples as {@link ArTraining}, with the conditional objective: the prompt stays visible, only
 * answer tokens are masked (t ~ U(0, 1) stratified, p = (1 − ε)t + ε), loss Σ_masked CE / p per
 * answer token (MDLM/LLaDA); optionally MGDM's focal token re-weighting (Ye et al., ICLR'25), which
 * weighs the hard tokens more. Same loop as the AR path (the shared {@link Recipe}): warm-up +
 * cosine, checkpoints with checksums, exact resume (the masking draws come from libtorch's RNG,
 * which the checkpoint stores), metrics, validation NELBO and masked-token accuracy on fixed
 * held-out masks.
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
   * @param recipe budget, steps, batch (examples per step), learning rates, warm-up, weight decay,
   *     clip, seed (initialisation and libtorch's RNG: masks), eval interval, run directory
   *     (checkpoints/, metrics.jsonl), progress bar
   * @param valExamples held-out examples per validation
   * @param keepCheckpoints newest checkpoints kept (0: every one)
   */
  public record Options(
      String task,
      DiffusionConfig model,
      double focalGamma,
      Recipe recipe,
      int valExamples,
      int keepCheckpoints) {
    /** Keeps the newest {@link ArTraining#KEEP} checkpoints. */
    public Options(
        String task, DiffusionConfig model, double focalGamma, Recipe recipe, int valExamples) {
      this(task, model, focalGamma, recipe, valExamples, ArTraining.KEEP);
    }

    public Options {
      if (keepCheckpoints < 0)
        throw new IllegalArgumentException(
            "--keep-checkpoints must be ≥ 0 (0: all), got " + keepCheckpoints);
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
    Recipe r = o.recipe();
    Path checkpoints = r.checkpoints();
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
    Ops.seed(r.seed());
    MaskedDiffusionLm model = new MaskedDiffusionLm(spec.diffusion());
    ModelSpec resumed = spec;
    double gamma = spec.focalGamma();
    TrainResult t =
        ArTraining.proposerLoop(
                Fit.of(
                    r,
                    model,
                    step ->
                        loss(model, ArTraining.batch(train, step * r.batch(), r.batch()), gamma)),
                o.keepCheckpoints(),
                (long) r.batch() * length)
            .eval(step -> validate(model, val, o.valExamples(), r.batch(), r.seed()))
            .plan(
                spec.plannedSteps(),
                i ->
                    loss(
                        model,
                        ArTraining.batch(train, (1_000_000L + i) * r.batch(), r.batch()),
                        gamma),
                1.08)
            .modelConfig(
                steps ->
                    JSON.writeValueAsString(
                        new ModelSpec(KIND, resumed.task(), resumed.diffusion(), gamma, steps)))
            .run(resume);
    return ArTraining.outcome(model.parameterCount(), t);
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
    Tensor maskable = ge(arange(len), (long) p).unsqueeze(0).expand(b, len); // (B, P+L)
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
      try (var s = Ops.scope();
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
