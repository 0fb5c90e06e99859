package dev.strata.energy;

import static dev.strata.nn.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.AdamW;
import dev.strata.train.LrSchedule;
import dev.strata.train.ParamGroup;
import dev.strata.train.TrainConfig;
import dev.strata.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LearnedEnergyTest {

  @Test
  void rankingNceIsTheSoftmaxCrossEntropyOverNegatedEnergies() {
    Tensor pos = tensor(new float[] {0f, 2f}, 2);
    Tensor neg = tensor(new float[] {1f, 3f, 0f, 5f}, 2, 2);
    double l0 = -Math.log(Math.exp(0) / (Math.exp(0) + Math.exp(-1) + Math.exp(-3)));
    double l1 = -Math.log(Math.exp(-2) / (Math.exp(-2) + Math.exp(0) + Math.exp(-5)));
    assertThat(item(RankingNce.loss(pos, neg))).isCloseTo((l0 + l1) / 2, within(1e-5));
  }

  /** Problems are 8 digits; the "solution" repeats them; negatives change 1–2 positions. */
  static final LearnedEnergy.Encoder<long[], long[]> COPY =
      new LearnedEnergy.Encoder<>() {
        public long[] problem(long[] p) {
          return p;
        }

        public long[] candidate(long[] p, long[] x) {
          return x;
        }
      };

  static long[] corrupt(long[] y, SplittableRandom rng) {
    long[] c = y.clone();
    int k = 1 + rng.nextInt(2);
    for (int i = 0; i < k; i++) {
      int at = rng.nextInt(c.length);
      c[at] = (c[at] + 1 + rng.nextInt(9)) % 10;
    }
    return c;
  }

  @Test
  void aTrainedEnergyRanksTheTrueAnswerBelowCorruptedOnesOnHeldOutProblems() {
    Ops.seed(1);
    EnergyNet net = new EnergyNet(EnergyNetConfig.sequence(10, 10, 8, 32, 2, 1));
    int batch = 16;
    int k = 4;
    try (AdamW opt = new AdamW(ParamGroup.standard(net, 0.0), 3e-3)) {
      Trainer t =
          new Trainer(
              net,
              opt,
              LrSchedule.warmupCosine(3e-3, 3e-4, 10, 120),
              TrainConfig.of(120).withProgressBar(false).withHandleInterrupt(false),
              step -> {
                SplittableRandom rng = new SplittableRandom(step);
                long[] p = new long[batch * (1 + k) * 8];
                long[] c = new long[p.length];
                int row = 0;
                for (int b = 0; b < batch; b++) {
                  long[] x = new long[8];
                  for (int i = 0; i < 8; i++) x[i] = rng.nextInt(10);
                  for (int j = 0; j <= k; j++, row++) {
                    long[] y = j == 0 ? x : corrupt(x, rng);
                    System.arraycopy(x, 0, p, row * 8, 8);
                    System.arraycopy(y, 0, c, row * 8, 8);
                  }
                }
                Tensor e = net.forward(tensor(p, row, 8), tensor(c, row, 8)).view(batch, 1 + k);
                return RankingNce.loss(e.select(1, 0), e.narrow(1, 1, k));
              });
      t.run();
    }
    LearnedEnergy<long[], long[]> energy = new LearnedEnergy<>(net, COPY, 64);
    SplittableRandom rng =
        new SplittableRandom(12345); // held-out problems (training used seeds 0..119)
    int wins = 0;
    int total = 0;
    for (int trial = 0; trial < 100; trial++) {
      long[] x = new long[8];
      for (int i = 0; i < 8; i++) x[i] = rng.nextInt(10);
      List<long[]> cands = new ArrayList<>();
      cands.add(x);
      for (int j = 0; j < 4; j++) cands.add(corrupt(x, rng));
      float[] e = energy.energies(x, cands);
      for (int j = 1; j < e.length; j++) {
        if (e[0] < e[j]) wins++;
        total++;
      }
    }
    assertThat((double) wins / total).isGreaterThan(0.9);
  }
}
