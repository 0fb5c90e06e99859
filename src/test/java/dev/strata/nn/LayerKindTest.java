package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The layer letters and report names are in saved checkpoints and results: they never change. */
class LayerKindTest {
  @Test
  void lettersAndReportNamesAreTheSavedOnes() {
    assertThat(Arrays.stream(LayerKind.values()).map(k -> k.letter).toList())
        .containsExactly('A', 'M', 'S', 'T');
    assertThat(Arrays.stream(LayerKind.values()).map(k -> k.reportName).toList())
        .containsExactly("attention", "mamba2", "mamba3", "memory");
  }

  @Test
  void aPatternParsesLetterByLetterAndAnUnknownLetterIsNamed() {
    assertThat(LayerKind.parse("MMAT"))
        .containsExactly(LayerKind.MAMBA2, LayerKind.MAMBA2, LayerKind.ATTENTION, LayerKind.MEMORY);
    assertThat(LayerKind.MAMBA2.countIn("MMMAMM")).isEqualTo(5);
    assertThat(LayerKind.MAMBA3.in("MMAM")).isFalse();
    assertThatThrownBy(() -> LayerKind.parse("MXM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown layer 'X'")
        .hasMessageContaining("S (Mamba-3)");
    assertThatThrownBy(() -> LayerKind.parse("")).hasMessageContaining("empty");
  }
}
