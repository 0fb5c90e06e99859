package dev.strata.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/** What the native engine is: libtorch version, BLAS in effect, threads, measured matmul speed. */
public final class Engine {
  private Engine() {}

  /** A description of the engine for {@code strata version} and benchmark provenance. */
  public record Info(String libtorch, String blas, int threads, String mklThreadingLayer) {}

  public static Info info() {
    return new Info(
        libtorchVersion(),
        blasInEffect(),
        Ops.threads(),
        String.valueOf(System.getenv("MKL_THREADING_LAYER")));
  }

  /** The libtorch version, read from its build configuration. */
  public static String libtorchVersion() {
    String config = torch.show_config().getString();
    Matcher m = Pattern.compile("TORCH_VERSION=([0-9.]+)").matcher(config);
    return m.find() ? m.group(1) : "unknown";
  }

  /** The JavaCPP version that loads libtorch (the presets' version suffix). */
  public static String javacppVersion() {
    try {
      String v = Loader.getVersion();
      return v == null ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Which BLAS the process has mapped: "MKL" when Intel MKL was loaded in OpenBLAS's place ({@code
   * -Dorg.bytedeco.openblas.load=mkl_rt}), else "OpenBLAS". Call after a first matmul.
   */
  public static String blasInEffect() {
    try {
      String maps = Files.readString(Path.of("/proc/self/maps"));
      if (maps.contains("libmkl_")) {
        String layer = System.getenv("MKL_THREADING_LAYER");
        return "MKL (threading layer "
            + (layer == null ? "unset: set MKL_THREADING_LAYER=GNU" : layer)
            + ")";
      }
      if (maps.contains("openblas"))
        return "OpenBLAS (slow here: run through ./strata, which loads MKL)";
      return "none loaded yet";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * Measured float32 matmul throughput in GFLOP/s for n×n matrices: repeated for at least {@code
   * seconds} after {@code seconds / 2} of warm-up (MKL's thread pool and the JIT settle first, as
   * in the PyTorch peer, which times ≥ 0.5 s after a warm-up).
   */
  public static double matmulGflops(int n, double seconds) {
    try (PointerScope s = new PointerScope()) {
      Tensor a = Ops.randn(n, n);
      Tensor b = Ops.randn(n, n);
      repeatFor(a, b, seconds / 2);
      long t0 = System.nanoTime();
      long reps = repeatFor(a, b, seconds);
      double secs = (System.nanoTime() - t0) / 1e9;
      return 2.0 * n * n * n * reps / secs / 1e9;
    }
  }

  private static long repeatFor(Tensor a, Tensor b, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long reps = 0;
    do {
      try (PointerScope s = new PointerScope()) {
        a.matmul(b);
      }
      reps++;
    } while (System.nanoTime() < end);
    return reps;
  }
}
