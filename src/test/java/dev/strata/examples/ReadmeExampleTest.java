package dev.strata.examples;

import static dev.strata.nn.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Tensor;
import dev.strata.train.AdamW;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.TrainConfig;
import dev.strata.train.TrainResult;
import dev.strata.train.Trainer;
import org.junit.jupiter.api.Test;

/** The library example of README.md ("Strata as a library"), kept compiling and passing. */
class ReadmeExampleTest {
  // --- README example begins
  /**
   * A two-layer MLP: parameters are registered by name, as in PyTorch (fc1.weight, fc1.bias, …).
   */
  static final class Mlp extends Module {
    final Linear fc1 = child("fc1", new Linear(2, 64));
    final Linear fc2 = child("fc2", new Linear(64, 1));

    Tensor forward(Tensor x) { // (N, 2) → (N, 1)
      return fc2.forward(gelu(fc1.forward(x)));
    }
  }

  static TrainResult learnAProduct() {
    seed(0);
    Mlp model = new Mlp();
    Tensor x = randn(512, 2);
    Tensor y = x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1)); // target: x₀·x₁
    try (AdamW optimizer = new AdamW(ParamGroup.standard(model, 0.0), 1e-2)) {
      Trainer trainer =
          new Trainer(
              model,
              optimizer,
              LrSchedule.warmupCosine(1e-2, 1e-3, 20, 400),
              TrainConfig.of(400).withProgressBar(false),
              step ->
                  pow(model.forward(x).sub(y), 2).mean()); // each step runs in its own PointerScope
      return trainer.run();
    }
  }

  // --- README example ends

  @Test
  void theReadmeExampleLearns() {
    TrainResult r = learnAProduct();
    assertThat(r.step()).isEqualTo(400);
    assertThat(r.loss()).as("MSE of x₀·x₁ (variance 1 at the start)").isLessThan(0.05);
  }
}
