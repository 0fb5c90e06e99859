package dev.strata.bench.sequence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory as the OS sees it (libtorch's native allocations included, which
 * JavaCPP's own counters miss): VmRSS now and VmHWM, the peak, which {@link #resetPeak()} restarts
 * (Linux {@code /proc/self/clear_refs}, value 5). Off Linux every reading is 0.
 */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ResidentMemory() {}

  /** Resident bytes now (0 where /proc is missing). */
  public static long current() {
    return field("VmRSS:");
  }

  /**
   * Peak resident bytes since the last {@link #resetPeak()} (or since the start when that failed).
   */
  public static long peak() {
    return field("VmHWM:");
  }

  /** Restarts the peak at the current resident size; false where the OS does not allow it. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) return 1024 * Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
