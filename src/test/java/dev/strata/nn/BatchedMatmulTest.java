package dev.strata.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/** {@link Ops#bmm}, which runs float32 products as a grouped convolution, against plain matmul. */
class BatchedMatmulTest {
  @Test
  void valuesAndGradientsMatchMatmul() {
    try (PointerScope s = new PointerScope()) {
      Ops.seed(3);
      Tensor a = Ops.requireGrad(Ops.randn(6, 5, 7));
      Tensor b = Ops.requireGrad(Ops.randn(6, 4, 7)); // used transposed, as the SSD does
      Tensor w = Ops.randn(6, 5, 4);
      Tensor viaConv = Ops.bmm(a, b.transpose(1, 2));
      GradCheck.weightedSum(viaConv, w).backward();
      Tensor gaConv = Ops.grad(a).clone(), gbConv = Ops.grad(b).clone();
      List.of(a, b).forEach(Ops::clearGrad);
      Tensor viaMatmul = a.matmul(b.transpose(1, 2));
      GradCheck.weightedSum(viaMatmul, w).backward();
      assertThat(Ops.shape(viaConv)).containsExactly(6, 5, 4);
      assertThat(Ops.item(viaConv.sub(viaMatmul).abs().max())).isLessThan(1e-5);
      assertThat(Ops.item(gaConv.sub(Ops.grad(a)).abs().max())).isLessThan(1e-5);
      assertThat(Ops.item(gbConv.sub(Ops.grad(b)).abs().max())).isLessThan(1e-5);
    }
  }
}
