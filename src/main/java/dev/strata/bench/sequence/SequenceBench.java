package dev.strata.bench.sequence;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.propose.CausalLm;
import dev.strata.tasks.sequence.Example;
import dev.strata.tasks.sequence.SequenceBatch;
import dev.strata.tasks.sequence.SequenceTask;
import dev.strata.train.Fit;
import dev.strata.train.Recipe;
import dev.strata.train.TrainResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The harness of the sequence benchmarks: trains one {@link Architecture} from scratch on a {@link
 * SequenceTask} with a fixed step budget, then measures accuracy on fresh sequences. The loss and
 * the predictions use the scored positions only: the hidden states there are gathered before the
 * head ({@link CausalLm#logitsAt}), so MQAR's V = 8192 head costs K rows per sequence, not T.
 *
 * <p>Data: training cycles over the first {@code trainSequences} examples of the task's data set
 * with seed {@code mix(seed, 1)}; evaluation draws from seed {@code mix(seed, 2)}, so it never sees
 * a training sequence (beyond chance collisions).
 */
public final class SequenceBench {
  private SequenceBench() {}

  /**
   * How one model trains: AdamW (β = 0.9, 0.99), global-norm clip 1, linear warm-up over the first
   * 10% of the steps, then cosine to lr/10.
   *
   * @param steps optimizer steps
   * @param batch sequences per step
   * @param trainSequences size of the training set that the steps cycle over (0: a fresh sequence
   *     every time)
   * @param lr peak learning rate
   * @param weightDecay AdamW weight decay (not on biases, norms and embeddings)
   */
  public record Budget(int steps, int batch, int trainSequences, double lr, double weightDecay) {
    public Budget {
      if (steps <= 0) throw new IllegalArgumentException("--steps must be positive, got " + steps);
      if (batch <= 0) throw new IllegalArgumentException("--batch must be positive, got " + batch);
      if (trainSequences < 0)
        throw new IllegalArgumentException("training sequences must be ≥ 0, got " + trainSequences);
      if (!(lr > 0))
        throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    }

    public Budget withSteps(int s) {
      return new Budget(s, batch, trainSequences, lr, weightDecay);
    }

    public Budget withBatch(int b) {
      return new Budget(steps, b, trainSequences, lr, weightDecay);
    }

    /**
     * Epochs over the training set (steps·batch / trainSequences; 0 when every sequence is fresh).
     */
    public double epochs() {
      return trainSequences == 0 ? 0 : (double) steps * batch / trainSequences;
    }
  }

  /**
   * What training did.
   *
   * @param params trainable parameters
   * @param steps steps run
   * @param seconds wall time
   * @param finalLoss mean training loss over the last 10% of the steps (nats per scored token)
   */
  public record Training(long params, long steps, double seconds, double finalLoss) {}

  /** A trained model and how it got there. */
  public record Trained(CausalLm model, Training training) {}

  /** How evaluation runs a sequence through the model. */
  public enum Mode {
    /** One full forward per batch (attention, and anything else at training-like lengths). */
    PARALLEL,
    /**
     * Recurrently, batched: the sequences are fed chunk by chunk through the layers' decode states
     * ({@link CausalLm#hidden(Tensor, LayerState)}), so memory stays flat in the length; by the
     * {@code SequenceLayer} contract this equals stepping token by token.
     */
    RECURRENT
  }

  /**
   * Accuracy on fresh sequences.
   *
   * @param token fraction of scored positions predicted right (greedy)
   * @param sequence fraction of sequences with every scored position right
   * @param scored scored positions
   * @param sequences sequences
   * @param seconds wall time
   * @param peakRssBytes peak resident memory of the process while evaluating
   * @param stateBytes bytes of the decode state per batch at the end (RECURRENT mode; 0 otherwise)
   */
  public record Accuracy(
      double token,
      double sequence,
      long scored,
      int sequences,
      double seconds,
      long peakRssBytes,
      long stateBytes) {}

  /**
   * Tokens fed per forward at most in PARALLEL evaluation (the batch shrinks for long sequences).
   */
  public static final long EVAL_TOKENS_PER_FORWARD = 1 << 17;

  /** Trains {@code arch} on {@code task} from scratch (initialisation seeded by {@code seed}). */
  public static Trained train(
      Architecture arch, SequenceTask task, Budget budget, long seed, boolean progressBar) {
    Ops.seed(seed);
    CausalLm model = new CausalLm(arch.lm(task.vocab(), task.maxLength()));
    long dataSeed = SequenceTask.mix(seed, 1);
    double[] losses = new double[budget.steps()];
    Recipe recipe =
        new Recipe(
            0,
            budget.steps(),
            budget.batch(),
            budget.lr(),
            budget.lr() / 10,
            Math.max(1, budget.steps() / 10),
            budget.weightDecay(),
            1.0,
            seed,
            0,
            null,
            progressBar);
    TrainResult r =
        Fit.of(recipe, model, step -> loss(model, trainBatch(task, dataSeed, step, budget)))
            .warmupCap(0)
            // status lines when there is no bar (--no-progress, or stderr not a terminal)
            .printEveryWithoutTerminal(Math.max(1, budget.steps() / 20))
            .handleInterrupt(false)
            .tokensPerStep((long) budget.batch() * task.maxLength())
            .onStep(s -> losses[(int) s.step() - 1] = s.loss())
            .run();
    int tail = Math.max(1, (int) r.step() / 10);
    double finalLoss =
        Arrays.stream(losses, (int) r.step() - tail, (int) r.step()).average().orElse(Double.NaN);
    return new Trained(
        model, new Training(model.parameterCount(), r.step(), r.seconds(), finalLoss));
  }

  /** The batch of training step {@code step}: examples cycling over the training set. */
  static SequenceBatch trainBatch(SequenceTask task, long dataSeed, long step, Budget b) {
    List<Example> examples = new ArrayList<>(b.batch());
    for (int i = 0; i < b.batch(); i++) {
      long index = step * b.batch() + i;
      examples.add(
          task.example(dataSeed, b.trainSequences() > 0 ? index % b.trainSequences() : index));
    }
    return SequenceBatch.of(examples);
  }

  /** Mean cross-entropy over the scored positions of a batch, logits computed there only. */
  public static Tensor loss(CausalLm model, SequenceBatch batch) {
    Tensor logits =
        model.logitsAt(batch.inputTensor(), indexTensor(batch.scoredIndices())); // (M, V)
    long[] targets = batch.scoredTargets();
    return crossEntropy(logits, tensor(targets, targets.length));
  }

  /**
   * Accuracy of {@code model} on {@code sequences} fresh examples of {@code task} (evaluation seed
   * of {@code seed}).
   */
  public static Accuracy evaluate(
      CausalLm model,
      SequenceTask task,
      int sequences,
      int batch,
      long seed,
      Mode mode,
      int chunk) {
    if (sequences <= 0 || batch <= 0)
      throw new IllegalArgumentException("evaluation needs positive sequences and batch");
    boolean wasTraining = model.isTraining();
    model.eval();
    long dataSeed = SequenceTask.mix(seed, 2);
    int perForward =
        mode == Mode.PARALLEL
            ? (int) Math.max(1, Math.min(batch, EVAL_TOKENS_PER_FORWARD / task.maxLength()))
            : batch;
    long correct = 0;
    long scored = 0;
    int sequencesRight = 0;
    long stateBytes = 0;
    System.gc(); // let earlier models' tensors go before the peak restarts
    ResidentMemory.resetPeak();
    long t0 = System.nanoTime();
    try (var g = noGrad()) {
      for (int from = 0; from < sequences; from += perForward) {
        SequenceBatch b = task.batch(dataSeed, from, Math.min(perForward, sequences - from));
        long[] pred;
        try (var s = Ops.scope()) {
          if (mode == Mode.PARALLEL) {
            pred =
                longs(
                    argmax(model.logitsAt(b.inputTensor(), indexTensor(b.scoredIndices())), -1)
                        .contiguous());
          } else {
            long[] out = new long[1];
            pred = predictRecurrent(model, b, chunk, out);
            stateBytes = out[0];
          }
        }
        long[] idx = b.scoredIndices();
        long[] target = b.scoredTargets();
        boolean[] rowRight = new boolean[b.batch()];
        Arrays.fill(rowRight, true);
        for (int i = 0; i < idx.length; i++) {
          boolean ok = pred[i] == target[i];
          if (ok) correct++;
          else rowRight[(int) (idx[i] / b.length())] = false;
        }
        scored += idx.length;
        for (boolean r : rowRight) if (r) sequencesRight++;
      }
    } finally {
      model.train(wasTraining);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Accuracy(
        scored == 0 ? Double.NaN : (double) correct / scored,
        (double) sequencesRight / sequences,
        scored,
        sequences,
        seconds,
        ResidentMemory.peak(),
        stateBytes);
  }

  /**
   * Greedy predictions at the scored positions of {@code b} (in {@link
   * SequenceBatch#scoredIndices()} order), feeding {@code chunk} tokens at a time through a decode
   * state; {@code stateBytes[0]} receives the state's size at the end.
   */
  static long[] predictRecurrent(CausalLm model, SequenceBatch b, int chunk, long[] stateBytes) {
    int rows = b.batch();
    int len = b.length();
    long[] idx = b.scoredIndices();
    long[] pred = new long[idx.length];
    try (LayerState state = model.newState(rows, len)) {
      for (int from = 0; from < len; from += chunk) {
        int n = Math.min(chunk, len - from);
        long[] ids = new long[rows * n];
        List<Long> local =
            new ArrayList<>(); // flat indices r·n + (t − from) of scored positions in this chunk
        List<Integer> slot = new ArrayList<>(); // their places in idx
        for (int r = 0; r < rows; r++) {
          System.arraycopy(b.inputs(), r * len + from, ids, r * n, n);
          for (int t = from; t < from + n; t++) {
            if (b.mask()[r * len + t]) {
              local.add((long) r * n + (t - from));
              slot.add(Arrays.binarySearch(idx, (long) r * len + t));
            }
          }
        }
        try (var s = Ops.scope()) {
          Tensor h = model.hidden(tensor(ids, rows, n), state); // (B, n, D)
          if (!local.isEmpty()) {
            long[] at = local.stream().mapToLong(Long::longValue).toArray();
            Tensor logits =
                model.head.forward(
                    h.reshape(-1, model.config.dModel()).index_select(0, indexTensor(at)));
            long[] p = longs(argmax(logits, -1).contiguous());
            for (int i = 0; i < p.length; i++) pred[slot.get(i)] = p[i];
          }
        }
      }
      stateBytes[0] = state.bytes();
    }
    return pred;
  }

  private static Tensor indexTensor(long[] idx) {
    return tensor(idx, idx.length);
  }
}
