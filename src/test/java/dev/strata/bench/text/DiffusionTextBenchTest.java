package dev.strata.bench.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.strata.bench.text.DiffusionTextBench.Row;
import dev.strata.bench.text.DiffusionTextBench.Settings;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.propose.CausalLm;
import dev.strata.propose.DiffusionConfig;
import dev.strata.propose.DiffusionSamplers;
import dev.strata.propose.LmConfig;
import dev.strata.propose.MaskedDiffusionLm;
import dev.strata.tasks.text.TextCorpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text benchmark of masked diffusion: its measures, its interpolations, and a tiny run of every
 * row.
 */
class DiffusionTextBenchTest {
  static final String TEXT =
      "To be, or not to be,\nthat is the question:\nWhether 'tis nobler in the mind to suffer\n"
          .repeat(30);

  @Test
  void unigramEntropyIsTheHistogramsEntropyInBits() {
    assertThat(DiffusionTextBench.unigramEntropyBits(new long[] {9, 1, 1, 2, 2}, 1, 5))
        .isCloseTo(1.0, within(1e-12));
    assertThat(DiffusionTextBench.unigramEntropyBits(new long[] {3, 3, 3, 3}, 0, 4)).isZero();
    assertThat(DiffusionTextBench.unigramEntropyBits(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 0, 8))
        .isCloseTo(3.0, within(1e-12));
  }

  @Test
  void forwardsToReachInterpolatesThePlainCurveInLogForwards() {
    double[] f = {8, 16, 32, 64};
    double[] nll = {3.0, 2.5, 2.2, 2.0};
    assertThat(DiffusionTextBench.forwardsToReach(f, nll, 2.5)).isCloseTo(16, within(1e-9));
    assertThat(DiffusionTextBench.forwardsToReach(f, nll, 2.35))
        .isCloseTo(Math.sqrt(16 * 32), within(1e-9)); // half-way in log
    assertThat(DiffusionTextBench.forwardsToReach(f, nll, 1.9))
        .isInfinite(); // better than the plain sampler ever gets
    assertThat(DiffusionTextBench.forwardsToReach(f, nll, 3.5))
        .isEqualTo(8); // the fewest forwards already suffice
  }

  @Test
  void nllAtInterpolatesACurveInLogTokensPerForward() {
    List<Row> curve = List.of(row("llada", 4, 4.0, 2.0), row("llada", 1, 1.0, 1.0));
    assertThat(DiffusionTextBench.nllAt(curve, 2.0)).isCloseTo(1.5, within(1e-12));
    assertThat(DiffusionTextBench.nllAt(curve, 4.0)).isEqualTo(2.0);
    assertThat(DiffusionTextBench.nllAt(curve, 8.0)).isNaN();
  }

  @Test
  void theBestAtFourTokensPerForwardMustHaveRunThatFast() {
    List<Row> rows =
        List.of(
            row("AR ancestral", 1, 1.0, 1.4),
            row("edit", 4, 1.09, 2.3),
            row("llada", 4, 3.97, 2.9),
            row("ancestral", 4, 3.97, 3.9),
            row("llada", 1, 1.01, 1.8));
    // edit's NLL is lowest but it measured 1.09 tokens per forward: llada is the best that really
    // ran at 4
    assertThat(DiffusionTextBench.bestAtFourTokensPerForward(rows).method()).isEqualTo("llada");
    assertThat(DiffusionTextBench.bestAtFourTokensPerForward(rows.subList(0, 2))).isNull();
  }

  @Test
  void settingsRefuseWhatCannotBeRun() {
    List<String> all = DiffusionSamplers.NAMES;
    assertThatThrownBy(() -> new Settings(4, 16, List.of(1), all, 5, 1, 2, 0, 1))
        .hasMessageContaining("--block 5 does not divide");
    assertThatThrownBy(() -> new Settings(4, 16, List.of(16), all, 8, 1, 2, 0, 1))
        .hasMessageContaining("between 1 and the 15");
    assertThatThrownBy(() -> new Settings(4, 16, List.of(1), List.of("gibbs"), 8, 1, 2, 0, 1))
        .hasMessageContaining("unknown sampler 'gibbs'");
    assertThatThrownBy(() -> new Settings(4, 16, List.of(8), all, 4, 1, 2, 0, 1))
        .hasMessageContaining("too few for the 4 blocks");
    assertThatThrownBy(() -> new Settings(0, 16, List.of(1), all, 8, 1, 2, 0, 1))
        .hasMessageContaining("--samples");
  }

  @Test
  void aTinyRunMeasuresEveryRowAndIsReproducible() {
    TextCorpus corpus = new TextCorpus(TEXT, 0.9);
    int v = corpus.tokenizer.vocabSize();
    Ops.setThreads(1);
    try (Scope s = Ops.scope()) {
      Ops.seed(1);
      var models =
          new DiffusionTextBench.Models(
              new MaskedDiffusionLm(DiffusionConfig.tiny(v, 16).withEditFraction(0.1)),
              new CausalLm(LmConfig.tiny("A", v)),
              new CausalLm(LmConfig.tiny("A", v)));
      var settings = new Settings(3, 16, List.of(1, 5), DiffusionSamplers.NAMES, 8, 1.0, 2, 1, 7);
      List<String> log = new ArrayList<>();
      DiffusionTextBench.Result r =
          DiffusionTextBench.run(models, corpus.tokenizer, corpus, settings, log::add);

      assertThat(r.rows()).hasSize(2 + 4 * 2);
      assertThat(log).hasSize(10).allMatch(line -> line.contains("judge NLL"));
      Row real = r.rows("real text").getFirst();
      assertThat(real.example()).startsWith("\n").hasSize(16);
      Row ar = r.rows("AR ancestral").getFirst();
      assertThat(ar.forwards()).isEqualTo(15);
      assertThat(ar.tokensPerForward()).isEqualTo(1.0);
      assertThat(ar.example()).startsWith("\n").hasSize(16);
      for (Row row : r.rows()) {
        assertThat(row.judgeNll()).as(row.method()).isFinite().isPositive();
        assertThat(row.unigramEntropy())
            .as(row.method())
            .isBetween(0.0, Math.log(15) / Math.log(2) + 1e-9);
      }
      // an untrained judge scores almost uniformly: every NLL is near log V
      assertThat(ar.judgeNll()).isCloseTo(Math.log(v), within(0.5));
      for (Row row : r.rows("ancestral")) {
        assertThat(row.forwards()).isBetween(1L, (long) row.steps());
        assertThat(row.tokensPerForward()).isCloseTo(15.0 / row.forwards(), within(1e-9));
        assertThat(row.arForwards()).isZero();
      }
      assertThat(r.rows("ancestral").get(1).steps()).isEqualTo(3); // 15 tokens at 5 per forward
      for (Row row : r.rows("edlm"))
        assertThat(row.arForwards()).isGreaterThanOrEqualTo(row.forwards()).isPositive();
      assertThat(r.price().diffusionNelbo()).isFinite().isPositive();
      assertThat(r.price().arLoss()).isCloseTo(Math.log(v), within(0.5));
      assertThat(String.join("\n", r.summary()))
          .contains("price:")
          .contains("edit vs llada")
          .contains("EDLM:")
          .doesNotContain("at 4 tokens/forward"); // no row at 4 here

      Ops.seed(1);
      var again = DiffusionTextBench.run(models, corpus.tokenizer, corpus, settings, line -> {});
      assertThat(again.rows().stream().map(Row::example).toList())
          .isEqualTo(r.rows().stream().map(Row::example).toList());
    }
  }

  @Test
  void theJudgeMustNotBeTheEnergysArModel() {
    int v = new TextCorpus(TEXT, 0.9).tokenizer.vocabSize();
    try (Scope s = Ops.scope()) {
      CausalLm ar = new CausalLm(LmConfig.tiny("A", v));
      assertThatThrownBy(
              () ->
                  new DiffusionTextBench.Models(
                      new MaskedDiffusionLm(DiffusionConfig.tiny(v, 16)), ar, ar))
          .hasMessageContaining("judge must not be");
      assertThatThrownBy(
              () ->
                  new DiffusionTextBench.Models(
                      new MaskedDiffusionLm(DiffusionConfig.tiny(v + 1, 16)),
                      ar,
                      new CausalLm(LmConfig.tiny("A", v))))
          .hasMessageContaining("share one vocabulary");
    }
  }

  private static Row row(String method, int nominal, double tokPerFwd, double nll) {
    return new Row(method, nominal, 1, tokPerFwd, 1, 0, nll, 0, 0, 0, 0, "");
  }
}
