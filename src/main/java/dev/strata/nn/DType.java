package dev.strata.nn;

/** Element types Strata uses; float32 trains, float64 checks gradients, bfloat16 saves memory. */
public enum DType {
  FLOAT32("F32", 4),
  FLOAT64("F64", 8),
  BFLOAT16("BF16", 2),
  INT64("I64", 8);

  /** The dtype name used in safetensors headers. */
  public final String safetensorsName;

  public final int bytes;

  DType(String safetensorsName, int bytes) {
    this.safetensorsName = safetensorsName;
    this.bytes = bytes;
  }

  public static DType fromSafetensors(String name) {
    for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
    throw new IllegalArgumentException(
        "unsupported safetensors dtype '" + name + "' (Strata reads F32, F64, BF16, I64)");
  }
}
