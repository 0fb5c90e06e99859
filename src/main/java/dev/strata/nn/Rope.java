package dev.strata.nn;

import static dev.strata.nn.Ops.cat;

import java.util.EnumMap;
import java.util.Map;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer, eq. 34) in the half-split layout of GPT-NeoX
 * and llama: the pair rotated by angle {@code m·θᵢ} is {@code (x[i], x[i + hd/2])}, with {@code θᵢ
 * = base^(−2i/hd)}, so {@code rope(x, m) = x·cos(mθ) + rotate_half(x)·sin(mθ)} where {@code
 * rotate_half(x) = cat(−x₂, x₁)}.
 *
 * <p>The cos/sin tables are a cache, not state: they are never saved, grow on demand, are computed
 * in float64 and kept once per dtype of the inputs they have served.
 */
public final class Rope {
  public final long headDim;
  public final double base;
  private final Map<DType, Tables> tables = new EnumMap<>(DType.class);

  /**
   * {@code cos} = cat(cos, cos) and {@code sinSigned} = cat(−sin, sin), both (length, hd),
   * retained.
   */
  private record Tables(long length, Tensor cos, Tensor sinSigned) {}

  public Rope(long headDim, double base) {
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new IllegalArgumentException("RoPE needs an even head dimension, got " + headDim);
    }
    this.headDim = headDim;
    this.base = base;
  }

  public Rope(long headDim) {
    this(headDim, 10000.0);
  }

  /**
   * (…, T, hd) at positions {@code offset … offset+T−1} → (…, T, hd), in the dtype of {@code x}.
   */
  public Tensor apply(Tensor x, long offset) {
    long t = x.size(-2);
    long half = headDim / 2;
    Tables tab = tables(Ops.dtype(x), offset + t);
    Tensor cos = tab.cos.narrow(0, offset, t); // (T, hd)
    Tensor sinSigned = tab.sinSigned.narrow(0, offset, t); // (T, hd)
    // cat(x₂, x₁)·cat(−sin, sin) = rotate_half(x)·sin, with one cat instead of a neg and a cat.
    Tensor swapped = cat(-1, x.narrow(-1, half, half), x.narrow(-1, 0, half));
    return x.mul(cos).addcmul(swapped, sinSigned);
  }

  private synchronized Tables tables(DType dtype, long needed) {
    Tables tab = tables.get(dtype);
    if (tab != null && tab.length >= needed) return tab;
    long length = Math.max(needed, tab == null ? 256 : 2 * tab.length);
    long half = headDim / 2;
    Tensor invFreq =
        Ops.mul(Ops.arange(DType.FLOAT64, half), -2.0 * Math.log(base) / headDim).exp(); // θᵢ
    Tensor angles =
        Ops.arange(DType.FLOAT64, length).unsqueeze(1).mul(invFreq.unsqueeze(0)); // (L, hd/2)
    Tensor cos = angles.cos();
    Tensor sin = angles.sin();
    Tables grown =
        new Tables(
            length,
            Ops.retain(Ops.to(cat(-1, cos, cos), dtype)),
            Ops.retain(Ops.to(cat(-1, sin.neg(), sin), dtype)));
    if (tab != null) {
      // Views handed out earlier hold their own native reference to the old storage.
      Ops.release(tab.cos);
      Ops.release(tab.sinSigned);
    }
    tables.put(dtype, grown);
    return grown;
  }
}
