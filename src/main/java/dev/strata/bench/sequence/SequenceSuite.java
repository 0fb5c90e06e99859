package dev.strata.bench.sequence;

import dev.strata.propose.CausalLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a {@link SequencePlan}: trains every architecture of every setting from scratch, then tests
 * it at each test length. Models without attention are tested recurrently (batched, state carried
 * chunk by chunk, memory flat in the length) beyond their training length; models with attention
 * run a full forward, until the attention matrix would pass the memory limit, the predicted time
 * passes the cap, or the allocator gives up — then the remaining lengths read "not run" with the
 * reason instead of crashing the run.
 */
public final class SequenceSuite {
  private final SequencePlan plan;
  private final Consumer<String> log;
  private final boolean progressBar;

  public SequenceSuite(SequencePlan plan, Consumer<String> log, boolean progressBar) {
    this.plan = plan;
    this.log = log;
    this.progressBar = progressBar;
  }

  /** Every training run's result, in plan order. */
  public List<ModelRun> run() {
    List<ModelRun> out = new ArrayList<>();
    int total = plan.runs();
    int done = 0;
    for (Experiment e : plan.experiments()) {
      for (Architecture arch : e.archs()) {
        done++;
        log.accept(
            String.format(
                "%s %s: training %s (%d/%d): %d steps × batch %d…",
                plan.task(),
                e.setting(),
                arch.label(),
                done,
                total,
                e.budget().steps(),
                e.budget().batch()));
        out.add(runOne(e, arch));
      }
    }
    return out;
  }

  /** Trains one architecture on one setting and tests it. */
  ModelRun runOne(Experiment e, Architecture arch) {
    SequenceBench.Trained t =
        SequenceBench.train(arch, e.train(), e.budget(), plan.seed(), progressBar);
    CausalLm model = t.model();
    log.accept(
        String.format(
            "  trained in %.1f s, final loss %.4f",
            t.training().seconds(), t.training().finalLoss()));
    List<TestPoint> tests = new ArrayList<>();
    TestPoint last = null;
    String stopped = null; // set when the allocator gave up: the longer lengths are skipped too
    for (Experiment.LengthTest test : e.tests()) {
      long stateFloats = arch.stateFloats(model, test.length());
      if (stopped != null) {
        tests.add(TestPoint.notRun(test.length(), stopped, stateFloats));
        continue;
      }
      boolean recurrent = arch.recurrent() && test.length() > e.train().maxLength();
      String skip = recurrent ? null : attentionLimit(arch, test, last);
      if (skip != null) {
        tests.add(TestPoint.notRun(test.length(), skip, stateFloats));
        log.accept("  length " + test.length() + ": not run: " + skip);
        continue;
      }
      TestPoint p;
      try {
        SequenceBench.Mode mode =
            recurrent ? SequenceBench.Mode.RECURRENT : SequenceBench.Mode.PARALLEL;
        SequenceBench.Accuracy a =
            SequenceBench.evaluate(
                model,
                test.task(),
                test.sequences(),
                Experiment.TEST_BATCH,
                plan.seed(),
                mode,
                plan.limits().recurrentChunk());
        p =
            new TestPoint(
                test.length(),
                TestPoint.OK,
                recurrent ? "recurrent" : "parallel",
                test.sequences(),
                a.token(),
                a.sequence(),
                stateFloats,
                a.stateBytes(),
                a.peakRssBytes(),
                a.seconds());
        log.accept(
            String.format(
                "  length %d (%s, %d sequences): accuracy %.3f, %.1f s, peak RSS %.0f MiB",
                test.length(),
                p.mode(),
                test.sequences(),
                a.token(),
                a.seconds(),
                a.peakRssBytes() / 1048576.0));
      } catch (RuntimeException ex) {
        if (!outOfMemory(ex)) throw ex;
        stopped = "out of memory at length " + test.length();
        p = TestPoint.notRun(test.length(), stopped, stateFloats);
        log.accept("  length " + test.length() + ": " + stopped);
      }
      tests.add(p);
      if (p.ran()) last = p;
    }
    return new ModelRun(
        plan.task(),
        e.setting(),
        arch.name(),
        arch.label(),
        arch.pattern(),
        arch.dModel(),
        arch.dState(),
        t.training().params(),
        arch.stateFloats(model, e.train().maxLength()),
        t.training(),
        tests);
  }

  /**
   * Why a parallel test of a model with attention is skipped, or null to run it: the attention
   * matrix heads·L²·4 bytes of one sequence and layer passes the memory limit, or the time,
   * predicted from the last test by L² and the number of sequences, passes the cap.
   */
  String attentionLimit(Architecture arch, Experiment.LengthTest test, TestPoint last) {
    if (!arch.hasAttention()) return null;
    double heads = arch.dModel() / Architecture.HEAD_CHANNELS;
    double bytes = heads * (double) test.length() * test.length() * Float.BYTES;
    double limit = plan.limits().attentionMemoryGib() * (1L << 30);
    if (bytes > limit) {
      return String.format(
          "memory — the %d×%d attention matrix would take %.3g GiB per sequence and layer (limit %.3g GiB)",
          test.length(), test.length(), bytes / (1L << 30), plan.limits().attentionMemoryGib());
    }
    if (last != null) {
      double scale =
          Math.pow((double) test.length() / last.length(), 2) * test.sequences() / last.sequences();
      double predicted = last.seconds() * scale;
      if (predicted > plan.limits().secondsPerTest()) {
        return String.format(
            "time — predicted %.0f s at length %d (cap %.0f s)",
            predicted, test.length(), plan.limits().secondsPerTest());
      }
    }
    return null;
  }

  static boolean outOfMemory(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof OutOfMemoryError
          || m.contains("can't allocate memory")
          || m.contains("out of memory")
          || m.contains("bad_alloc")) {
        return true;
      }
    }
    return false;
  }
}
