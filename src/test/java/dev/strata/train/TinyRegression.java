package dev.strata.train;

import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.List;

/**
 * A tiny training problem for loop tests: a 2-layer MLP with dropout regressing Σ sin(x). Batches
 * come from libtorch's RNG and from a Java-side cursor (its state goes into checkpoints), so an
 * exact resume needs both restored.
 */
final class TinyRegression {
  static final class Mlp extends Module {
    final Linear fc1 = child("fc1", new Linear(4, 16));
    final Linear fc2 = child("fc2", new Linear(16, 1));

    /** (B, 4) → (B, 1). */
    Tensor forward(Tensor x) {
      return fc2.forward(Ops.dropout(Ops.gelu(fc1.forward(x)), 0.1, isTraining()));
    }
  }

  /** A Java-side data position: shifts the inputs of each batch. */
  static final class Cursor implements Trainer.Sampler {
    long position;

    @Override
    public long state() {
      return position;
    }

    @Override
    public void restore(long state) {
      position = state;
    }
  }

  final Mlp model;
  final AdamW optimizer;
  final Cursor cursor = new Cursor();

  TinyRegression(long seed) {
    Ops.seed(seed);
    model = new Mlp();
    optimizer = new AdamW(ParamGroup.standard(model, 0.1), 1e-2, 0.9, 0.95, 1e-8);
  }

  /** Mean squared error on a fresh batch of 8; advances the cursor. */
  Tensor loss(long step) {
    Tensor x = Ops.add(Ops.randn(8, 4), 0.01 * (cursor.position++ % 7));
    Tensor y = Ops.sum(x.sin(), true, -1);
    return Ops.mean(Ops.pow(model.forward(x).sub(y), 2), false);
  }

  /** Validation-style loss on a random batch; uses libtorch's RNG but not the training cursor. */
  double evalLoss() {
    Tensor x = Ops.randn(16, 4);
    Tensor y = Ops.sum(x.sin(), true, -1);
    return Ops.item(Ops.mean(Ops.pow(model.forward(x).sub(y), 2), false));
  }

  static LrSchedule schedule(long maxSteps) {
    return LrSchedule.warmupCosine(1e-2, 1e-3, 2, Math.max(2, maxSteps));
  }

  Trainer trainer(TrainConfig config) {
    return new Trainer(model, optimizer, schedule(config.maxSteps()), config, this::loss)
        .sampler(cursor);
  }

  List<float[]> parameters() {
    return model.parameters().stream().map(Ops::floats).toList();
  }
}
