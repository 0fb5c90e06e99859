package dev.strata.world;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders Two-Room as LeWM's environment draws it: white floor, black border lines on rows and
 * columns [10, 14) and [210, 214), a black wall on columns [107, 117] except the door rows [35,
 * 63], and the agent as a red Gaussian blob over it.
 *
 * <p>The blob: at pixel (c, r) (column, row; integer coordinates) its weight is {@code w = (float)
 * (exp(−(c−x)²/2σ²)·exp(−(r−y)²/2σ²))}, 1 at the centre, and every channel becomes {@code (int)(u +
 * w·(a − u))} in float32 arithmetic, where u is the value underneath and a the agent's (255, 0, 0):
 * pure red at the centre fading to what lies below, truncated to uint8. Beyond {@link #PATCH}
 * pixels from the centre (on either axis) w·255 is below half a float32 ulp of 255, so those pixels
 * never change; only the patch is recomputed.
 *
 * <p>Smaller images are the 224 render area-averaged as adaptive average pooling does (output i
 * averages input rows ⌊224i/S⌋ … ⌈224(i+1)/S⌉ − 1; at 64 every window is 4×4 with stride 3.5), but
 * computed from a cached averaged background plus the few output pixels whose windows meet the
 * patch — pixel-identical to rendering at 224 and pooling, at a fraction of the cost.
 */
public final class TwoRoomRenderer {
  /** Half-width of the square patch the blob can change (see the class comment). */
  public static final int PATCH = 48;

  /** ImageNet normalisation, per RGB channel, applied to values / 255. */
  public static final float[] MEAN = {0.485f, 0.456f, 0.406f};

  public static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final int N = TwoRoom.CANVAS;
  private static final float[] AGENT = {255f, 0f, 0f};

  private final double twoSigmaSq;
  private final byte[] floor; // (N, N): 255 floor, 0 border or wall (all channels alike)
  private final Map<Integer, float[]> backgrounds = new ConcurrentHashMap<>();

  public TwoRoomRenderer(double sigma) {
    this.twoSigmaSq = 2 * sigma * sigma;
    this.floor = new byte[N * N];
    for (int r = 0; r < N; r++) {
      for (int c = 0; c < N; c++) floor[r * N + c] = (byte) (isBlack(c, r) ? 0 : 255);
    }
  }

  /** Border lines and the wall (without the door) are black. */
  public static boolean isBlack(int c, int r) {
    boolean border =
        (c >= 10 && c < 14)
            || (c >= 210 && c < 214)
            || (r >= 10 && r < 14)
            || (r >= 210 && r < 214);
    boolean wall =
        c >= TwoRoom.WALL_X0
            && c <= TwoRoom.WALL_X1
            && !(r >= TwoRoom.DOOR_Y0 && r <= TwoRoom.DOOR_Y1);
    return border || wall;
  }

  /** The background value (all three channels) of pixel (c, r): 255 floor, 0 black. */
  public int background(int c, int r) {
    return floor[r * N + c] & 0xff;
  }

  /**
   * The 224 render with the blob blended over every pixel of the canvas (no patch): the definition,
   * used to check the patch rule; as {@code (3, 224, 224)} CHW values.
   */
  public int[] renderFullCanvas(double x, double y) {
    int[] out = new int[3 * N * N];
    double[] gx = weights(x, 0, N);
    double[] gy = weights(y, 0, N);
    for (int ch = 0; ch < 3; ch++) {
      for (int r = 0; r < N; r++) {
        for (int c = 0; c < N; c++)
          out[(ch * N + r) * N + c] = blend(background(c, r), (float) (gx[c] * gy[r]), ch);
      }
    }
    return out;
  }

  /** exp(−(p − centre)²/2σ²) for p = from … from+n−1. */
  private double[] weights(double centre, int from, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      double d = from + i - centre;
      g[i] = Math.exp(-d * d / twoSigmaSq);
    }
    return g;
  }

  private static int blend(int under, float w, int channel) {
    float u = under;
    return (int) (u + w * (AGENT[channel] - u));
  }

  /**
   * Renders the agent at (x, y) as {@code (3, size, size)} CHW values in [0, 255] into {@code out}
   * at {@code offset}: the 224 render itself when size is 224, else its area average.
   */
  public void render(double x, double y, int size, float[] out, int offset) {
    if (size <= 0 || size > N)
      throw new IllegalArgumentException("render size must be in 1…" + N + ", got " + size);
    float[] bg = background(size);
    System.arraycopy(bg, 0, out, offset, bg.length);
    // The patch of canvas pixels the blob may change, clipped to the canvas.
    int c0 = Math.max(0, (int) Math.ceil(x - PATCH)),
        c1 = Math.min(N - 1, (int) Math.floor(x + PATCH));
    int r0 = Math.max(0, (int) Math.ceil(y - PATCH)),
        r1 = Math.min(N - 1, (int) Math.floor(y + PATCH));
    // Output rows/columns whose windows meet the patch, and the canvas region those windows cover.
    int i0 = firstWindow(r0, size), i1 = lastWindow(r1, size);
    int j0 = firstWindow(c0, size), j1 = lastWindow(c1, size);
    int ry0 = start(i0, size), ry1 = end(i1, size); // rows [ry0, ry1)
    int cx0 = start(j0, size), cx1 = end(j1, size); // columns [cx0, cx1)
    int h = ry1 - ry0, w = cx1 - cx0;
    double[] gx = weights(x, cx0, w);
    double[] gy = weights(y, ry0, h);
    int[] region = new int[3 * h * w]; // the blended canvas over the region, (3, h, w)
    for (int r = 0; r < h; r++) {
      int rr = ry0 + r;
      boolean rowIn = rr >= r0 && rr <= r1;
      for (int c = 0; c < w; c++) {
        int cc = cx0 + c;
        int under = background(cc, rr);
        if (rowIn && cc >= c0 && cc <= c1) {
          float wt = (float) (gx[c] * gy[r]);
          for (int ch = 0; ch < 3; ch++) region[(ch * h + r) * w + c] = blend(under, wt, ch);
        } else {
          for (int ch = 0; ch < 3; ch++) region[(ch * h + r) * w + c] = under;
        }
      }
    }
    for (int ch = 0; ch < 3; ch++) {
      for (int i = i0; i <= i1; i++) {
        int a0 = start(i, size) - ry0, a1 = end(i, size) - ry0;
        for (int j = j0; j <= j1; j++) {
          int b0 = start(j, size) - cx0, b1 = end(j, size) - cx0;
          int sum = 0;
          for (int r = a0; r < a1; r++) {
            int base = (ch * h + r) * w;
            for (int c = b0; c < b1; c++) sum += region[base + c];
          }
          out[offset + (ch * size + i) * size + j] = (float) sum / ((a1 - a0) * (b1 - b0));
        }
      }
    }
  }

  /** The averaged background at {@code size}, (3, size, size), cached. */
  private float[] background(int size) {
    return backgrounds.computeIfAbsent(
        size,
        s -> {
          float[] bg = new float[3 * s * s];
          for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
              int sum = 0;
              for (int r = start(i, s); r < end(i, s); r++) {
                for (int c = start(j, s); c < end(j, s); c++) sum += background(c, r);
              }
              float v = (float) sum / ((end(i, s) - start(i, s)) * (end(j, s) - start(j, s)));
              for (int ch = 0; ch < 3; ch++) bg[(ch * s + i) * s + j] = v;
            }
          }
          return bg;
        });
  }

  /** Adaptive pooling window of output index i: canvas pixels [start, end). */
  static int start(int i, int size) {
    return (i * N) / size;
  }

  static int end(int i, int size) {
    return ((i + 1) * N + size - 1) / size;
  }

  private static int firstWindow(int p, int size) {
    int i = 0;
    while (end(i, size) <= p) i++;
    return i;
  }

  private static int lastWindow(int p, int size) {
    int i = size - 1;
    while (start(i, size) > p) i--;
    return i;
  }

  /**
   * ImageNet normalisation in place: v ← (v/255 − mean_c)/std_c over {@code (3, size, size)} at
   * offset.
   */
  public static void normalize(float[] chw, int offset, int size) {
    int plane = size * size;
    for (int ch = 0; ch < 3; ch++) {
      float m = MEAN[ch], s = STD[ch];
      int base = offset + ch * plane;
      for (int k = 0; k < plane; k++) chw[base + k] = (chw[base + k] / 255f - m) / s;
    }
  }

  /**
   * Renders and normalises a batch of positions: {@code (n, 3, size, size)} floats, model-ready.
   */
  public float[] renderBatch(double[] xs, double[] ys, int size) {
    int plane = 3 * size * size;
    float[] out = new float[xs.length * plane];
    java.util.stream.IntStream.range(0, xs.length)
        .parallel()
        .forEach(
            k -> {
              render(xs[k], ys[k], size, out, k * plane);
              normalize(out, k * plane, size);
            });
    return out;
  }
}
