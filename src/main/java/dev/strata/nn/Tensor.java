package dev.strata.nn;

/**
 * A Strata tensor: one libtorch tensor behind a Java type that Strata owns.
 *
 * <p>Why it exists: JavaCPP's generated classes ({@code org.bytedeco.pytorch.*}) are an engine
 * detail, and letting them spread through every package would tie all of Strata to one binding's
 * C++-shaped API. So, as Storch and DJL do, the binding stays behind one facade: only {@code nn}
 * and {@code train} touch JavaCPP ({@link Ops} is the bridge for ops that need its {@code Scalar},
 * {@code ScalarType} or vector types), and every other package speaks this class (ArchitectureTest
 * enforces it).
 *
 * <p>It is a thin wrapper: one small Java object per op, no extra native call, copy or allocation.
 * Its method names and signatures are those of the JavaCPP tensor it wraps, so layer code reads the
 * same. Memory management is unchanged: the wrapped native tensor belongs to the innermost open
 * {@link Scope} (JavaCPP {@code PointerScope}) when it was made, and {@link #close()} frees it at
 * once; this object itself holds no native memory.
 */
public final class Tensor implements AutoCloseable {
  final org.bytedeco.pytorch.Tensor raw;

  private Tensor(org.bytedeco.pytorch.Tensor raw) {
    this.raw = raw;
  }

  /** The facade over a JavaCPP tensor (for {@code nn} and {@code train} only). */
  public static Tensor wrap(org.bytedeco.pytorch.Tensor raw) {
    return new Tensor(raw);
  }

  /** The wrapped JavaCPP tensor (for {@code nn} and {@code train} only). */
  public org.bytedeco.pytorch.Tensor raw() {
    return raw;
  }

  /** Frees the native tensor now (as JavaCPP's {@code close}). */
  @Override
  public void close() {
    raw.close();
  }

  /** Equal when both wrap the same native tensor handle (JavaCPP's pointer equality). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && raw.equals(t.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return raw.toString();
  }

  // ---------------------------------------------------------------- libtorch's tensor methods
  // Same names and signatures as JavaCPP's Tensor (libtorch's C++ API), so layer code reads alike.

  public Tensor abs() {
    return wrap(raw.abs());
  }

  public Tensor add(Tensor other) {
    return wrap(raw.add(other.raw));
  }

  public Tensor add_(Tensor other) {
    return wrap(raw.add_(other.raw));
  }

  public Tensor addcmul(Tensor tensor1, Tensor tensor2) {
    return wrap(raw.addcmul(tensor1.raw, tensor2.raw));
  }

  public Tensor addcmul_(Tensor tensor1, Tensor tensor2) {
    return wrap(raw.addcmul_(tensor1.raw, tensor2.raw));
  }

  public Tensor all() {
    return wrap(raw.all());
  }

  public void backward() {
    raw.backward();
  }

  public Tensor clone() {
    return wrap(raw.clone());
  }

  public Tensor contiguous() {
    return wrap(raw.contiguous());
  }

  public Tensor copy_(Tensor src) {
    return wrap(raw.copy_(src.raw));
  }

  public Tensor cos() {
    return wrap(raw.cos());
  }

  public Tensor cumsum(long dim) {
    return wrap(raw.cumsum(dim));
  }

  public Tensor detach() {
    return wrap(raw.detach());
  }

  public long dim() {
    return raw.dim();
  }

  public Tensor div(Tensor other) {
    return wrap(raw.div(other.raw));
  }

  public long element_size() {
    return raw.element_size();
  }

  public Tensor eq(Tensor other) {
    return wrap(raw.eq(other.raw));
  }

  public Tensor exp() {
    return wrap(raw.exp());
  }

  public Tensor expand(long... shape) {
    return wrap(raw.expand(shape));
  }

  public Tensor expm1() {
    return wrap(raw.expm1());
  }

  public Tensor flatten(long startDim, long endDim) {
    return wrap(raw.flatten(startDim, endDim));
  }

  public Tensor gather(long dim, Tensor index) {
    return wrap(raw.gather(dim, index.raw));
  }

  public Tensor index_select(long dim, Tensor index) {
    return wrap(raw.index_select(dim, index.raw));
  }

  public Tensor isfinite() {
    return wrap(raw.isfinite());
  }

  public double item_double() {
    return raw.item_double();
  }

  public float item_float() {
    return raw.item_float();
  }

  public long item_long() {
    return raw.item_long();
  }

  public Tensor le(Tensor other) {
    return wrap(raw.le(other.raw));
  }

  public Tensor log() {
    return wrap(raw.log());
  }

  public Tensor logical_and(Tensor other) {
    return wrap(raw.logical_and(other.raw));
  }

  public Tensor logical_not() {
    return wrap(raw.logical_not());
  }

  public Tensor lt(Tensor other) {
    return wrap(raw.lt(other.raw));
  }

  public Tensor matmul(Tensor other) {
    return wrap(raw.matmul(other.raw));
  }

  public Tensor max() {
    return wrap(raw.max());
  }

  public Tensor mean() {
    return wrap(raw.mean());
  }

  public Tensor min() {
    return wrap(raw.min());
  }

  public Tensor mul(Tensor other) {
    return wrap(raw.mul(other.raw));
  }

  public Tensor mul_(Tensor other) {
    return wrap(raw.mul_(other.raw));
  }

  public Tensor narrow(long dim, long start, long length) {
    return wrap(raw.narrow(dim, start, length));
  }

  public Tensor neg() {
    return wrap(raw.neg());
  }

  public Tensor new_empty(long... shape) {
    return wrap(raw.new_empty(shape));
  }

  public Tensor norm() {
    return wrap(raw.norm());
  }

  public long numel() {
    return raw.numel();
  }

  public Tensor permute(long... dims) {
    return wrap(raw.permute(dims));
  }

  public Tensor reciprocal() {
    return wrap(raw.reciprocal());
  }

  public boolean requires_grad() {
    return raw.requires_grad();
  }

  public Tensor reshape(long... shape) {
    return wrap(raw.reshape(shape));
  }

  public Tensor rsqrt() {
    return wrap(raw.rsqrt());
  }

  public Tensor scatter(long dim, Tensor index, Tensor src) {
    return wrap(raw.scatter(dim, index.raw, src.raw));
  }

  public Tensor select(long dim, long index) {
    return wrap(raw.select(dim, index));
  }

  public Tensor set_requires_grad(boolean requiresGrad) {
    return wrap(raw.set_requires_grad(requiresGrad));
  }

  public Tensor sin() {
    return wrap(raw.sin());
  }

  public long size(long dim) {
    return raw.size(dim);
  }

  public Tensor sqrt() {
    return wrap(raw.sqrt());
  }

  public Tensor square() {
    return wrap(raw.square());
  }

  public Tensor squeeze(long dim) {
    return wrap(raw.squeeze(dim));
  }

  public Tensor sub(Tensor other) {
    return wrap(raw.sub(other.raw));
  }

  public Tensor sum() {
    return wrap(raw.sum());
  }

  public Tensor t() {
    return wrap(raw.t());
  }

  public Tensor tanh() {
    return wrap(raw.tanh());
  }

  public Tensor transpose(long dim0, long dim1) {
    return wrap(raw.transpose(dim0, dim1));
  }

  public Tensor unflatten(long dim, long... sizes) {
    return wrap(raw.unflatten(dim, sizes));
  }

  public Tensor unsqueeze(long dim) {
    return wrap(raw.unsqueeze(dim));
  }

  public Tensor view(long... shape) {
    return wrap(raw.view(shape));
  }
}
