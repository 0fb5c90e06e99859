package dev.strata.tasks.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generators produce what their definitions say. */
class SequenceTasksTest {
  @Test
  void mqarQueriesAlwaysHaveTheirKeyAndValueInTheContext() {
    int[][] settings = {{64, 4}, {128, 8}, {256, 16}, {512, 64}};
    for (int[] s : settings) {
      Mqar task = new Mqar(8192, s[0], s[1]);
      int k = s[1];
      for (int i = 0; i < 50; i++) {
        Example e = task.example(7, i);
        assertThat(e.length()).isEqualTo(s[0]);
        long[] in = e.inputs();
        assertTokensIn(in, 0, 8192);
        // The context: k₁ v₁ … k_K v_K, keys in [1, V/2) and values in [V/2, V), all distinct.
        Set<Long> keys = new HashSet<>();
        Set<Long> values = new HashSet<>();
        for (int j = 0; j < k; j++) {
          assertThat(in[2 * j]).isBetween(1L, 4095L);
          assertThat(in[2 * j + 1]).isBetween(4096L, 8191L);
          keys.add(in[2 * j]);
          values.add(in[2 * j + 1]);
        }
        assertThat(keys).hasSize(k);
        assertThat(values).hasSize(k);
        int[] scored = e.scoredPositions();
        assertThat(scored).hasSize(k);
        Set<Long> queried = new HashSet<>();
        for (int t : scored) {
          assertThat(t).isGreaterThanOrEqualTo(2 * k);
          assertThat((t - 2 * k) % 2).isZero(); // queries sit on even offsets of the query region
          long key = in[t];
          assertThat(key).isBetween(1L, 4095L);
          queried.add(key);
          int at = -1;
          for (int j = 0; j < k; j++) if (in[2 * j] == key) at = 2 * j;
          assertThat(at)
              .as("query %d at %d has its key in the context", key, t)
              .isGreaterThanOrEqualTo(0)
              .isLessThan(t);
          assertThat(e.targets()[t])
              .as("the target is the value bound to the key")
              .isEqualTo(in[at + 1]);
        }
        assertThat(queried).as("every key is queried once").isEqualTo(keys);
        for (int t = 0; t < in.length; t++) if (!e.mask()[t]) assertThat(e.targets()[t]).isZero();
      }
    }
  }

  @Test
  void mqarQueryGapsFollowAPowerLaw() {
    Mqar task = new Mqar(8192, 512, 16);
    int slots = task.querySlots(); // 240
    long near = 0;
    long far = 0;
    for (int i = 0; i < 400; i++) {
      for (int t : task.example(3, i).scoredPositions()) {
        int gap = (t - 32) / 2;
        if (gap < slots / 4) near++;
        if (gap >= 3 * slots / 4) far++;
      }
    }
    // p(g) ∝ (g+1)^(−0.99): the first quarter of the slots holds far more queries than the last.
    assertThat(near).isGreaterThan(3 * far);
  }

  @Test
  void mqarRefusesSequencesTooShortForTheirPairs() {
    assertThatThrownBy(() -> new Mqar(8192, 60, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the 64 tokens");
    assertThatThrownBy(() -> new Mqar(16, 64, 8)).hasMessageContaining("keys");
    assertThat(new Mqar(8192, 64, 16).querySlots()).isEqualTo(16); // exactly 4·K fits
  }

  @Test
  void inductionTargetFollowsTheFirstOccurrenceOfTheTrigger() {
    InductionHeads task = new InductionHeads(16, 256);
    for (int i = 0; i < 200; i++) {
      Example e = task.example(11, i);
      long[] in = e.inputs();
      assertThat(in).hasSize(256);
      assertTokensIn(in, 0, 16);
      int first = -1;
      int count = 0;
      for (int t = 0; t < in.length; t++) {
        if (in[t] == 15) {
          if (first < 0) first = t;
          count++;
        }
      }
      assertThat(count).as("the trigger appears twice").isEqualTo(2);
      assertThat(in[255]).isEqualTo(15);
      assertThat(e.scoredPositions()).containsExactly(255);
      assertThat(e.targets()[255]).isEqualTo(in[first + 1]).isLessThan(15);
    }
    assertThat(task.withLength(1 << 12).example(1, 0).length()).isEqualTo(4096);
  }

  @Test
  void selectiveCopyingTargetsAreTheDataTokensInOrder() {
    SelectiveCopying task = new SelectiveCopying(16, 256, 16);
    for (int i = 0; i < 100; i++) {
      Example e = task.example(5, i);
      assertThat(e.length()).isEqualTo(272);
      long[] data =
          Arrays.stream(e.inputs(), 0, 256).filter(t -> t != SelectiveCopying.NOISE).toArray();
      assertThat(data).hasSize(16);
      assertTokensIn(data, 1, 15);
      assertThat(e.scoredPositions())
          .containsExactly(java.util.stream.IntStream.range(256, 272).toArray());
      assertThat(Arrays.copyOfRange(e.targets(), 256, 272)).containsExactly(data);
      assertThat(Arrays.copyOfRange(e.inputs(), 256, 272)).containsOnly(15L);
    }
  }

  @Test
  void copyingTargetsRepeatTheString() {
    Copying task = new Copying(26, 3, 20);
    Set<Integer> lengths = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Example e = task.example(9, i);
      int n = (e.length() - 1) / 2;
      lengths.add(n);
      long[] in = e.inputs();
      assertThat(in[0]).isEqualTo(task.bos());
      assertThat(in[n + 1]).isEqualTo(task.separator());
      long[] s = Arrays.copyOfRange(in, 1, n + 1);
      assertTokensIn(s, 0, 26);
      assertThat(e.scoredPositions())
          .containsExactly(java.util.stream.IntStream.rangeClosed(n + 1, 2 * n).toArray());
      assertThat(Arrays.copyOfRange(e.targets(), n + 1, 2 * n + 1)).containsExactly(s);
      assertThat(Arrays.copyOfRange(in, n + 2, 2 * n + 1))
          .containsExactly(Arrays.copyOf(s, n - 1)); // teacher-forced copy
    }
    assertThat(lengths).contains(3, 20).allMatch(n -> n >= 3 && n <= 20);
  }

  @Test
  void batchesAreSeededAndPadVariableLengthsWithUnscoredPositions() {
    Copying task = new Copying(4, 1, 6);
    SequenceBatch a = task.batch(8, 42);
    assertThat(task.batch(8, 42)).usingRecursiveComparison().isEqualTo(a);
    assertThat(a.inputs()).isEqualTo(task.batch(8, 42).inputs());
    assertThat(a.inputs()).isNotEqualTo(task.batch(8, 43).inputs());
    int scored = 0;
    for (int r = 0; r < a.batch(); r++) {
      Example e = task.example(42, r);
      Example row = a.row(r);
      assertThat(Arrays.copyOf(row.inputs(), e.length())).containsExactly(e.inputs());
      for (int t = e.length(); t < a.length(); t++) assertThat(row.mask()[t]).isFalse();
      scored += e.scoredPositions().length;
    }
    assertThat(a.scored()).isEqualTo(scored);
    assertThat(a.scoredTargets()).hasSize(scored);
  }

  /** Every token lies in [lo, hi). */
  static void assertTokensIn(long[] tokens, long lo, long hi) {
    assertThat(Arrays.stream(tokens).allMatch(t -> t >= lo && t < hi))
        .as("tokens in [%d, %d): %s", lo, hi, Arrays.toString(tokens))
        .isTrue();
  }
}
