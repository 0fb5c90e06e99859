package dev.strata.bench.sequence;

/**
 * Accuracy of a trained model at one test length, or why it was not measured.
 *
 * @param length test sequence length (tokens)
 * @param status "ok", or "not run: …" with the reason (memory limit, time cap)
 * @param mode how the sequences went through the model: "parallel" or "recurrent"
 * @param sequences test sequences
 * @param accuracy fraction of scored tokens right (null when not run)
 * @param sequenceAccuracy fraction of sequences with every scored token right (null when not run)
 * @param stateFloats recurrent state per sequence at this length, in floats
 * @param stateBytes decode-state bytes of the whole test batch at the end (recurrent mode; 0
 *     otherwise)
 * @param peakRssBytes the process's peak resident memory during the test (0 when not run)
 * @param seconds wall time of the test
 */
public record TestPoint(
    int length,
    String status,
    String mode,
    int sequences,
    Double accuracy,
    Double sequenceAccuracy,
    long stateFloats,
    long stateBytes,
    long peakRssBytes,
    double seconds) {
  public static final String OK = "ok";

  public static TestPoint notRun(int length, String reason, long stateFloats) {
    return new TestPoint(length, "not run: " + reason, null, 0, null, null, stateFloats, 0, 0, 0);
  }

  public boolean ran() {
    return OK.equals(status);
  }
}
