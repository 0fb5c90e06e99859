package dev.strata.nn;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The functional API of Strata: libtorch's ops with Java-shaped signatures.
 *
 * <p>This is the one file where the C++-flavoured JavaCPP types ({@code Scalar}, {@code
 * TensorOptional}, {@code ScalarType}, vectors) are handled, so layer code reads like {@code
 * torch.nn.functional}: {@code linear(x, weight, bias)}, {@code mul(x, 0.5)}, {@code sdpa(q, k, v,
 * null, true)}. It takes and returns Strata's {@link Tensor} facade, unwrapping it for libtorch;
 * tensor methods that take only tensors and longs ({@code matmul}, {@code view}, {@code transpose},
 * {@code add(Tensor)}, …) live on {@link Tensor} itself.
 *
 * <p>Every returned tensor is a native reference; call from inside a {@link Scope} ({@link
 * #scope()}) so temporaries are freed when the scope closes.
 */
public final class Ops {
  private Ops() {}

  // ---------------------------------------------------------------- the bridge to JavaCPP

  private static Tensor wrap(org.bytedeco.pytorch.Tensor t) {
    return Tensor.wrap(t);
  }

  private static Tensor[] wrap(org.bytedeco.pytorch.Tensor[] ts) {
    Tensor[] out = new Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) out[i] = Tensor.wrap(ts[i]);
    return out;
  }

  private static TensorVector vector(Tensor[] ts) {
    org.bytedeco.pytorch.Tensor[] raw = new org.bytedeco.pytorch.Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) raw[i] = ts[i].raw;
    return new TensorVector(raw);
  }

  // ---------------------------------------------------------------- dtype and creation

  static ScalarType scalarType(DType d) {
    return switch (d) {
      case FLOAT32 -> ScalarType.Float;
      case FLOAT64 -> ScalarType.Double;
      case BFLOAT16 -> ScalarType.BFloat16;
      case INT64 -> ScalarType.Long;
    };
  }

  /** The dtype of a tensor; throws for types Strata does not use. */
  public static DType dtype(Tensor t) {
    // JavaCPP hands back an enum instance made from the raw value, so compare values
    int v = t.raw.scalar_type().value;
    for (DType d : DType.values()) if (scalarType(d).value == v) return d;
    throw new IllegalArgumentException("unsupported tensor dtype (libtorch ScalarType " + v + ")");
  }

  static TensorOptions options(DType d) {
    return new TensorOptions(scalarType(d));
  }

  /** A float32 tensor holding a copy of {@code data}, shaped {@code shape}. */
  public static Tensor tensor(float[] data, long... shape) {
    checkSize(data.length, shape);
    try (FloatPointer p = new FloatPointer(data)) {
      return wrap(torch.from_blob(p, shape, options(DType.FLOAT32)).clone());
    }
  }

  /** A float64 tensor holding a copy of {@code data}. */
  public static Tensor tensor(double[] data, long... shape) {
    checkSize(data.length, shape);
    try (DoublePointer p = new DoublePointer(data)) {
      return wrap(torch.from_blob(p, shape, options(DType.FLOAT64)).clone());
    }
  }

  /** An int64 tensor holding a copy of {@code data} (token ids, indices). */
  public static Tensor tensor(long[] data, long... shape) {
    checkSize(data.length, shape);
    try (LongPointer p = new LongPointer(data)) {
      return wrap(torch.from_blob(p, shape, options(DType.INT64)).clone());
    }
  }

  /** A bool tensor holding a copy of {@code data} (attention masks: true = may attend). */
  public static Tensor tensor(boolean[] data, long... shape) {
    long[] bits = new long[data.length];
    for (int i = 0; i < data.length; i++) bits[i] = data[i] ? 1 : 0;
    return wrap(tensor(bits, shape).raw.to(ScalarType.Bool));
  }

  private static void checkSize(int n, long[] shape) {
    long expected = 1;
    for (long s : shape) expected *= s;
    if (expected != n) {
      throw new IllegalArgumentException(
          "data has " + n + " elements but shape " + Arrays.toString(shape) + " needs " + expected);
    }
  }

  public static Tensor zeros(long... shape) {
    return wrap(torch.zeros(shape, options(DType.FLOAT32)));
  }

  public static Tensor zeros(DType d, long... shape) {
    return wrap(torch.zeros(shape, options(d)));
  }

  public static Tensor ones(long... shape) {
    return wrap(torch.ones(shape, options(DType.FLOAT32)));
  }

  public static Tensor ones(DType d, long... shape) {
    return wrap(torch.ones(shape, options(d)));
  }

  public static Tensor full(double value, long... shape) {
    return wrap(torch.full(shape, new Scalar(value), options(DType.FLOAT32)));
  }

  public static Tensor full(DType d, double value, long... shape) {
    return wrap(torch.full(shape, new Scalar(value), options(d)));
  }

  /** The n×n identity matrix. */
  public static Tensor eye(DType d, long n) {
    return wrap(torch.eye(n, options(d)));
  }

  public static Tensor zerosLike(Tensor t) {
    return wrap(torch.zeros_like(t.raw));
  }

  public static Tensor onesLike(Tensor t) {
    return wrap(torch.ones_like(t.raw));
  }

  public static Tensor fullLike(Tensor t, double value) {
    return wrap(torch.full_like(t.raw, new Scalar(value)));
  }

  /** Standard normal samples from libtorch's global generator (see {@link #seed}). */
  public static Tensor randn(long... shape) {
    return wrap(torch.randn(shape, options(DType.FLOAT32)));
  }

  public static Tensor randn(DType d, long... shape) {
    return wrap(torch.randn(shape, options(d)));
  }

  public static Tensor randnLike(Tensor t) {
    return wrap(torch.randn_like(t.raw));
  }

  /** Uniform samples in [0, 1). */
  public static Tensor rand(long... shape) {
    return wrap(torch.rand(shape, options(DType.FLOAT32)));
  }

  public static Tensor randLike(Tensor t) {
    return wrap(torch.rand_like(t.raw));
  }

  /** Uniform samples in [lo, hi). */
  public static Tensor uniform(double lo, double hi, long... shape) {
    return add(mul(rand(shape), hi - lo), lo);
  }

  /** Random int64 values in [lo, hi). */
  public static Tensor randint(long lo, long hi, long... shape) {
    return wrap(torch.randint(lo, hi, shape, options(DType.INT64)));
  }

  /** 0, 1, …, n−1 as int64. */
  public static Tensor arange(long n) {
    return wrap(torch.arange(new Scalar(n), options(DType.INT64)));
  }

  /** 0, 1, …, n−1 in the given dtype. */
  public static Tensor arange(DType d, long n) {
    return wrap(torch.arange(new Scalar(n), options(d)));
  }

  /** Seeds libtorch's global CPU generator (parameter init, dropout, sampling). */
  public static void seed(long seed) {
    torch.manual_seed(seed);
  }

  /**
   * A copy of the global CPU generator's state (Mersenne Twister plus its cached normal sample), so
   * a checkpoint can resume the exact random stream; pair with {@link #setRngState}.
   */
  public static byte[] rngState() {
    try (PointerScope s = new PointerScope()) {
      return bytes(wrap(torch.getDefaultCPUGenerator().get_state()));
    }
  }

  /** Restores the global CPU generator to a state returned by {@link #rngState}. */
  public static void setRngState(byte[] state) {
    try (PointerScope s = new PointerScope();
        org.bytedeco.javacpp.BytePointer p = new org.bytedeco.javacpp.BytePointer(state)) {
      org.bytedeco.pytorch.Tensor t =
          torch.from_blob(p, new long[] {state.length}, new TensorOptions(ScalarType.Byte)).clone();
      torch.getDefaultCPUGenerator().set_state(t);
    }
  }

  public static Tensor to(Tensor t, DType d) {
    return wrap(t.raw.to(scalarType(d)));
  }

  // ---------------------------------------------------------------- reading values back

  public static long[] shape(Tensor t) {
    return t.raw.sizes().vec().get();
  }

  public static long numel(Tensor t) {
    return t.raw.numel();
  }

  /** A copy of the values as float32, in row-major order. */
  public static float[] floats(Tensor t) {
    org.bytedeco.pytorch.Tensor c = t.raw.detach().to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    if (out.length > 0)
      new FloatPointer(c.data_ptr()).get(out); // an empty tensor has no data pointer
    return out;
  }

  /** A copy of the values as float64, in row-major order. */
  public static double[] doubles(Tensor t) {
    org.bytedeco.pytorch.Tensor c = t.raw.detach().to(ScalarType.Double).contiguous();
    double[] out = new double[(int) c.numel()];
    if (out.length > 0)
      new DoublePointer(c.data_ptr()).get(out); // an empty tensor has no data pointer
    return out;
  }

  /** A copy of the values as int64, in row-major order. */
  public static long[] longs(Tensor t) {
    org.bytedeco.pytorch.Tensor c = t.raw.detach().to(ScalarType.Long).contiguous();
    long[] out = new long[(int) c.numel()];
    if (out.length > 0)
      new LongPointer(c.data_ptr()).get(out); // an empty tensor has no data pointer
    return out;
  }

  /** The value of a one-element tensor. */
  public static double item(Tensor t) {
    return t.raw.item_double();
  }

  /** Raw bytes of a contiguous tensor (little-endian on x86), for serialisation. */
  public static byte[] bytes(Tensor t) {
    org.bytedeco.pytorch.Tensor c = t.raw.detach().contiguous();
    byte[] out = new byte[(int) (c.numel() * c.element_size())];
    if (out.length == 0) return out; // an empty tensor has no data pointer
    new org.bytedeco.javacpp.BytePointer(c.data_ptr()).capacity(out.length).get(out);
    return out;
  }

  /** A tensor from raw little-endian bytes (the inverse of {@link #bytes}). */
  public static Tensor fromBytes(byte[] data, DType d, long... shape) {
    long n = 1;
    for (long s : shape) n *= s;
    if (n * d.bytes != data.length) {
      throw new IllegalArgumentException(
          data.length + " bytes do not hold " + Arrays.toString(shape) + " of " + d);
    }
    if (n == 0) return zeros(d, shape);
    try (org.bytedeco.javacpp.BytePointer p = new org.bytedeco.javacpp.BytePointer(data)) {
      return wrap(torch.from_blob(p, shape, options(d)).clone());
    }
  }

  // ---------------------------------------------------------------- arithmetic with scalars

  public static Tensor mul(Tensor t, double s) {
    return wrap(t.raw.mul(new Scalar(s)));
  }

  public static Tensor add(Tensor t, double s) {
    return wrap(t.raw.add(new Scalar(s)));
  }

  public static Tensor sub(Tensor t, double s) {
    return wrap(t.raw.sub(new Scalar(s)));
  }

  public static Tensor div(Tensor t, double s) {
    return wrap(t.raw.div(new Scalar(s)));
  }

  /** {@code s - t}. */
  public static Tensor rsub(double s, Tensor t) {
    return wrap(t.raw.neg().add(new Scalar(s)));
  }

  public static Tensor pow(Tensor t, double e) {
    return wrap(t.raw.pow(new Scalar(e)));
  }

  /** {@code a + alpha·b} in one op. */
  public static Tensor addScaled(Tensor a, Tensor b, double alpha) {
    return wrap(a.raw.add(b.raw, new Scalar(alpha)));
  }

  public static Tensor clamp(Tensor t, double lo, double hi) {
    return wrap(
        t.raw.clamp(new ScalarOptional(new Scalar(lo)), new ScalarOptional(new Scalar(hi))));
  }

  public static Tensor clampMin(Tensor t, double lo) {
    return wrap(t.raw.clamp_min(new Scalar(lo)));
  }

  public static Tensor clampMax(Tensor t, double hi) {
    return wrap(t.raw.clamp_max(new Scalar(hi)));
  }

  /** {@code t mod m} with the sign of {@code m} (Python's {@code %}); its gradient is 1. */
  public static Tensor remainder(Tensor t, double m) {
    return wrap(t.raw.remainder(new Scalar(m)));
  }

  public static Tensor maskedFill(Tensor t, Tensor mask, double value) {
    return wrap(t.raw.masked_fill(mask.raw, new Scalar(value)));
  }

  /** In place: {@code t ← t·s}. */
  public static void mulInPlace(Tensor t, double s) {
    t.raw.mul_(new Scalar(s));
  }

  /** In place: {@code t ← t + alpha·b}. */
  public static void addInPlace(Tensor t, Tensor b, double alpha) {
    t.raw.add_(b.raw, new Scalar(alpha));
  }

  /** In place: {@code t ← t + value·a·b}. */
  public static void addcmulInPlace(Tensor t, Tensor a, Tensor b, double value) {
    t.raw.addcmul_(a.raw, b.raw, new Scalar(value));
  }

  /** In place: {@code t ← t + value·a/b}. */
  public static void addcdivInPlace(Tensor t, Tensor a, Tensor b, double value) {
    t.raw.addcdiv_(a.raw, b.raw, new Scalar(value));
  }

  /** In place: {@code t ← t + w·(end − t)}. */
  public static void lerpInPlace(Tensor t, Tensor end, double w) {
    t.raw.lerp_(end.raw, new Scalar(w));
  }

  public static void fillInPlace(Tensor t, double value) {
    t.raw.fill_(new Scalar(value));
  }

  /**
   * In place: {@code t ← t + value}, exact for integer tensors (counters such as {@code
   * num_batches_tracked}).
   */
  public static void addInPlace(Tensor t, long value) {
    t.raw.add_(new Scalar(value));
  }

  // ---------------------------------------------------------------- comparisons with scalars

  /** {@code t == s} elementwise (bool). */
  public static Tensor eq(Tensor t, double s) {
    return wrap(t.raw.eq(new Scalar(s)));
  }

  public static Tensor eq(Tensor t, long s) {
    return wrap(t.raw.eq(new Scalar(s)));
  }

  /** {@code t != s} elementwise (bool). */
  public static Tensor ne(Tensor t, double s) {
    return wrap(t.raw.ne(new Scalar(s)));
  }

  public static Tensor ne(Tensor t, long s) {
    return wrap(t.raw.ne(new Scalar(s)));
  }

  /** {@code t < s} elementwise (bool). */
  public static Tensor lt(Tensor t, double s) {
    return wrap(t.raw.lt(new Scalar(s)));
  }

  public static Tensor lt(Tensor t, long s) {
    return wrap(t.raw.lt(new Scalar(s)));
  }

  /** {@code t <= s} elementwise (bool). */
  public static Tensor le(Tensor t, double s) {
    return wrap(t.raw.le(new Scalar(s)));
  }

  public static Tensor le(Tensor t, long s) {
    return wrap(t.raw.le(new Scalar(s)));
  }

  /** {@code t > s} elementwise (bool). */
  public static Tensor gt(Tensor t, double s) {
    return wrap(t.raw.gt(new Scalar(s)));
  }

  public static Tensor gt(Tensor t, long s) {
    return wrap(t.raw.gt(new Scalar(s)));
  }

  /** {@code t >= s} elementwise (bool). */
  public static Tensor ge(Tensor t, double s) {
    return wrap(t.raw.ge(new Scalar(s)));
  }

  public static Tensor ge(Tensor t, long s) {
    return wrap(t.raw.ge(new Scalar(s)));
  }

  // ---------------------------------------------------------------- reductions

  public static Tensor sum(Tensor t, boolean keepDim, long... dims) {
    return wrap(t.raw.sum(dims, keepDim, new ScalarTypeOptional()));
  }

  public static Tensor mean(Tensor t, boolean keepDim, long... dims) {
    return wrap(t.raw.mean(dims, keepDim, new ScalarTypeOptional()));
  }

  public static Tensor amax(Tensor t, boolean keepDim, long... dims) {
    return wrap(t.raw.amax(dims, keepDim));
  }

  public static Tensor logsumexp(Tensor t, long dim, boolean keepDim) {
    return wrap(torch.logsumexp(t.raw, new long[] {dim}, keepDim));
  }

  public static Tensor argmax(Tensor t, long dim) {
    return wrap(t.raw.argmax(new LongOptional(dim), false));
  }

  /** The k largest values along the last dimension: {values, indices}. */
  public static Tensor[] topk(Tensor t, long k) {
    T_TensorTensor_T r = torch.topk(t.raw, k, -1, true, true);
    return new Tensor[] {wrap(r.get0()), wrap(r.get1())};
  }

  // ---------------------------------------------------------------- joining and masks

  public static Tensor cat(long dim, Tensor... ts) {
    return wrap(torch.cat(vector(ts), dim));
  }

  public static Tensor cat(long dim, List<Tensor> ts) {
    return cat(dim, ts.toArray(Tensor[]::new));
  }

  public static Tensor stack(long dim, Tensor... ts) {
    return wrap(torch.stack(vector(ts), dim));
  }

  public static Tensor stack(long dim, List<Tensor> ts) {
    return stack(dim, ts.toArray(Tensor[]::new));
  }

  public static Tensor tril(Tensor t, long diagonal) {
    return wrap(torch.tril(t.raw, diagonal));
  }

  public static Tensor triu(Tensor t, long diagonal) {
    return wrap(torch.triu(t.raw, diagonal));
  }

  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return wrap(torch.where(cond.raw, a.raw, b.raw));
  }

  /** Zero padding; {@code pad} lists (left, right) pairs from the last dimension backwards. */
  public static Tensor pad(Tensor t, long... pad) {
    return wrap(torch.pad(t.raw, pad));
  }

  /** Splits along {@code dim} into pieces of the given sizes (views). */
  public static Tensor[] split(Tensor t, long dim, long... sizes) {
    return wrap(t.raw.split_with_sizes(sizes, dim).get());
  }

  /** Splits along {@code dim} into {@code n} equal pieces (views). */
  public static Tensor[] chunk(Tensor t, long n, long dim) {
    return wrap(t.raw.chunk(n, dim).get());
  }

  /** Einstein summation, e.g. {@code einsum("bhld,bhsd->bhls", q, k)}. */
  public static Tensor einsum(String equation, Tensor... ts) {
    return wrap(torch.einsum(equation, vector(ts)));
  }

  /**
   * Batched matrix product (G, M, K)·(G, K, N) → (G, M, N). In float32 it runs as a grouped 1×1
   * convolution, which oneDNN does in one call: this libtorch build has no MKL batch gemm, so its
   * bmm loops over the G matrices one gemm at a time, 2–3× slower for many small products. (A
   * Mamba-2 block's training step at B=32, T=256, d=128: 133 ms this way, 185 ms with matmul.)
   * Other dtypes use plain matmul.
   */
  public static Tensor bmm(Tensor a, Tensor b) {
    if (dtype(a) != DType.FLOAT32) return a.matmul(b);
    long g = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
    return conv1d(b.reshape(1, g * k, n), a.reshape(g * m, k, 1), null, 1, 0, g).reshape(g, m, n);
  }

  /** Inverted dropout; identity when not training or p = 0. */
  public static Tensor dropout(Tensor x, double p, boolean training) {
    return (training && p > 0) ? wrap(torch.dropout(x.raw, p, true)) : x;
  }

  /** Normal samples with standard deviation {@code std} (GPT-style init). */
  public static Tensor normal(double std, long... shape) {
    return mul(randn(shape), std);
  }

  // ---------------------------------------------------------------- neural-network functions

  private static TensorOptional opt(Tensor t) {
    return t == null ? new TensorOptional() : new TensorOptional(t.raw);
  }

  /** {@code x·Wᵀ + b}; {@code bias} may be null. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return wrap(torch.linear(x.raw, weight.raw, opt(bias)));
  }

  /** Rows of {@code weight} picked by int64 {@code ids}. */
  public static Tensor embedding(Tensor weight, Tensor ids) {
    return wrap(torch.embedding(weight.raw, ids.raw));
  }

  /** LayerNorm over the last dimension; weight and bias may be null. */
  public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    long d = x.size(-1);
    return wrap(torch.layer_norm(x.raw, new long[] {d}, opt(weight), opt(bias), eps, true));
  }

  /** RMSNorm over the last dimension: {@code x / sqrt(mean(x²) + eps) · weight}. */
  public static Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
    long d = x.size(-1);
    return wrap(torch.rms_norm(x.raw, new long[] {d}, opt(weight), new DoubleOptional(eps)));
  }

  public static Tensor gelu(Tensor x) {
    return wrap(torch.gelu(x.raw));
  }

  public static Tensor relu(Tensor x) {
    return wrap(torch.relu(x.raw));
  }

  public static Tensor silu(Tensor x) {
    return wrap(torch.silu(x.raw));
  }

  public static Tensor softplus(Tensor x) {
    return wrap(torch.softplus(x.raw));
  }

  public static Tensor sigmoid(Tensor x) {
    return wrap(torch.sigmoid(x.raw));
  }

  /** {@code log σ(x)}, finite for every x (a log-gate that never reaches −∞). */
  public static Tensor logSigmoid(Tensor x) {
    return wrap(torch.log_sigmoid(x.raw));
  }

  /** {@code x / √(Σ x² + eps)} over the last dimension (unit-norm queries and keys). */
  public static Tensor l2Normalize(Tensor x, double eps) {
    return x.mul(add(sum(x.mul(x), true, -1), eps).rsqrt());
  }

  public static Tensor softmax(Tensor x, long dim) {
    return wrap(torch.softmax(x.raw, dim));
  }

  public static Tensor logSoftmax(Tensor x, long dim) {
    return wrap(torch.log_softmax(x.raw, dim));
  }

  /**
   * Scaled dot-product attention over {@code (B, H, T, hd)} tensors. {@code mask} (bool, true =
   * attend, or additive float) may be null. Note: libtorch aligns {@code causal} top-left, so a
   * query block shorter than the keys needs an explicit mask instead.
   */
  public static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
    return sdpa(q, k, v, mask, causal, 0.0);
  }

  /**
   * {@link #sdpa(Tensor, Tensor, Tensor, Tensor, boolean)} with dropout {@code p} on the attention
   * weights.
   */
  public static Tensor sdpa(
      Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double dropout) {
    return wrap(
        torch.scaled_dot_product_attention(
            q.raw, k.raw, v.raw, opt(mask), dropout, causal, new DoubleOptional(), false));
  }

  /** Mean cross-entropy of {@code (N, V)} logits against {@code (N)} int64 targets. */
  public static Tensor crossEntropy(Tensor logits, Tensor targets) {
    return wrap(torch.cross_entropy_loss(logits.raw, targets.raw));
  }

  /** 1-d convolution over {@code (B, C, T)}; {@code bias} may be null. */
  public static Tensor conv1d(
      Tensor x, Tensor weight, Tensor bias, long stride, long padding, long groups) {
    return wrap(
        torch.conv1d(
            x.raw,
            weight.raw,
            opt(bias),
            new long[] {stride},
            new long[] {padding},
            new long[] {1},
            groups));
  }

  /**
   * 2-d convolution with stride 1, zero padding {@code (padH, padW)} and {@code groups} input
   * groups (groups = channels makes it depthwise); {@code bias} may be null. An input with
   * channels-last strides runs oneDNN's faster NHWC kernels and gives a channels-last output.
   */
  public static Tensor conv2d(
      Tensor x, Tensor weight, Tensor bias, long padH, long padW, long groups) {
    return wrap(
        torch.conv2d(
            x.raw,
            weight.raw,
            opt(bias),
            new long[] {1, 1},
            new long[] {padH, padW},
            new long[] {1, 1},
            groups));
  }

  /** 2-d convolution over {@code (B, C, H, W)}; {@code bias} may be null. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, long stride, long padding) {
    return wrap(
        torch.conv2d(
            x.raw,
            weight.raw,
            opt(bias),
            new long[] {stride, stride},
            new long[] {padding, padding},
            new long[] {1, 1},
            1));
  }

  /**
   * The same values with channels-last (NHWC) strides, so oneDNN runs its faster NHWC convolution
   * kernels.
   */
  public static Tensor channelsLast(Tensor x) {
    return wrap(x.raw.contiguous(torch.MemoryFormat.ChannelsLast));
  }

  /**
   * Adaptive average pooling of {@code (B, C, H, W)} to {@code (B, C, outH, outW)} (PyTorch's
   * windows).
   */
  public static Tensor adaptiveAvgPool2d(Tensor x, long outH, long outW) {
    return wrap(torch.adaptive_avg_pool2d(x.raw, outH, outW));
  }

  public static Tensor groupNorm(Tensor x, long groups, Tensor weight, Tensor bias, double eps) {
    return wrap(torch.group_norm(x.raw, groups, opt(weight), opt(bias), eps, true));
  }

  /** Batch norm; in training mode it updates {@code runningMean/Var} in place. */
  public static Tensor batchNorm(
      Tensor x,
      Tensor weight,
      Tensor bias,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      double momentum,
      double eps) {
    return wrap(
        torch.batch_norm(
            x.raw,
            opt(weight),
            opt(bias),
            opt(runningMean),
            opt(runningVar),
            training,
            momentum,
            eps,
            true));
  }

  /** {@code n} samples per row of a {@code (N, V)} probability matrix (int64 {@code (N, n)}). */
  public static Tensor multinomial(Tensor probs, long n) {
    return wrap(torch.multinomial(probs.raw, n));
  }

  // ---------------------------------------------------------------- autograd and threads

  /**
   * In place, row i of {@code t} becomes its row {@code indices[i]} (int64 (B)): beam search's
   * state reordering.
   */
  public static void reorderRows(Tensor t, Tensor indices) {
    try (var g = noGrad()) {
      t.raw.copy_(t.raw.index_select(0, indices.raw));
    }
  }

  /** Disables gradient recording until closed: {@code try (var g = Ops.noGrad()) { … }}. */
  public static NoGrad noGrad() {
    return new NoGrad();
  }

  /**
   * Opens a scope that frees the native temporaries created in it when it closes: {@code try (Scope
   * s = Ops.scope()) { … }}.
   */
  public static Scope scope() {
    return new Scope();
  }

  /** Makes {@code t} a leaf that records gradients. */
  public static Tensor requireGrad(Tensor t) {
    t.raw.set_requires_grad(true);
    return t;
  }

  /** The gradient of a leaf, or null if none was accumulated. */
  public static Tensor grad(Tensor t) {
    org.bytedeco.pytorch.Tensor g = t.raw.grad();
    return g.defined() ? wrap(g) : null;
  }

  /** Clears the gradient of a leaf (sets it undefined, like {@code set_to_none}). */
  public static void clearGrad(Tensor t) {
    t.raw.mutable_grad().reset();
  }

  /**
   * Replaces the data of {@code t} in place (the same Java object sees the new values and dtype).
   */
  public static void setData(Tensor t, Tensor data) {
    t.raw.__dispatch_set_data(data.raw);
  }

  /**
   * Keeps a tensor alive past the {@code PointerScope} that created it; pair with {@link #release}.
   */
  public static Tensor retain(Tensor t) {
    t.raw.retainReference();
    return t;
  }

  /** Drops the reference taken by {@link #retain}; null is ignored. */
  public static void release(Tensor t) {
    if (t != null) t.raw.releaseReference();
  }

  public static int threads() {
    return torch.get_num_threads();
  }

  public static void setThreads(int n) {
    torch.set_num_threads(n);
  }
}
