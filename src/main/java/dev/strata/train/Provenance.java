package dev.strata.train;

import dev.strata.nn.Engine;
import dev.strata.nn.Ops;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a result came from, so a reader can re-check it: the code (Strata version, git commit and
 * whether the tree was dirty), the inputs (each data file or checkpoint read, with its SHA-256),
 * the engine (libtorch, JavaCPP, BLAS, threads, Java, CPU) and the exact command. Every
 * checkpoint's {@code state.json} and every result JSON ({@link ResultJson}) carries one.
 *
 * <p>The command and the inputs are process-wide: the CLI runs one command per process and sets the
 * command once ({@link #startCommand}); the data loaders and checkpoint loading report what they
 * read ({@link #noteInput}). Passing them as parameters would thread them through every command,
 * bench and training down to {@link Checkpoint#save} for a value that belongs to the process, not
 * to any one call.
 *
 * @param strata Strata's version
 * @param command the {@code strata} command line, shell-quoted, or {@value GitRevision#UNKNOWN}
 *     when not run from the CLI
 * @param gitCommit the checkout's commit, or {@value GitRevision#UNKNOWN}
 * @param gitTree "clean", "dirty" or {@value GitRevision#UNKNOWN}
 * @param inputs files the command read so far, in the order it first read them
 * @param libtorch libtorch's version
 * @param javacpp JavaCPP's version
 * @param blas the BLAS in effect ({@link Engine#blasInEffect()})
 * @param threads libtorch's intra-op threads
 * @param java the Java runtime's version
 * @param cpu the CPU model and the processors the JVM sees
 * @param recordedAt when this record was made (ISO-8601, UTC)
 */
public record Provenance(
    String strata,
    String command,
    String gitCommit,
    String gitTree,
    List<Input> inputs,
    String libtorch,
    String javacpp,
    String blas,
    int threads,
    String java,
    String cpu,
    String recordedAt) {
  /** Strata's version; the pom's {@code <version>} (a test keeps the two equal). */
  public static final String STRATA_VERSION = "0.1.0";

  /**
   * One file a command read.
   *
   * @param path the path as the command named it
   * @param bytes its size
   * @param sha256 its SHA-256 in hex ({@code sha256sum} prints the same)
   */
  public record Input(String path, long bytes, String sha256) {}

  private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

  private static volatile String commandLine = GitRevision.UNKNOWN;
  private static final Map<Path, Input> INPUTS = new LinkedHashMap<>();
  private static volatile GitRevision checkout;
  private static volatile String[] fixed; // libtorch, javacpp, cpu: the same all process long

  public Provenance {
    inputs = List.copyOf(inputs);
  }

  /**
   * Starts a command: records its arguments as {@code strata ARGS…} and forgets the inputs of any
   * earlier command in this process (tests run many commands in one JVM).
   */
  public static void startCommand(String... args) {
    StringBuilder b = new StringBuilder("strata");
    for (String a : args) b.append(' ').append(shellQuote(a));
    synchronized (INPUTS) {
      INPUTS.clear();
      commandLine = b.toString();
    }
  }

  /** {@code arg} as a POSIX shell reads it back: unchanged if plain, else single-quoted. */
  static String shellQuote(String arg) {
    if (PLAIN_ARG.matcher(arg).matches()) return arg;
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * Records that the current command read {@code file} (hashing it once; a file that cannot be
   * hashed is recorded with the reason instead of a digest, never an error).
   */
  public static void noteInput(Path file) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (INPUTS) {
      if (INPUTS.containsKey(key)) return;
    }
    String sha;
    long bytes;
    try {
      bytes = Files.size(file);
      sha = Checkpoint.sha256(file);
    } catch (IOException | RuntimeException e) {
      bytes = -1;
      sha = GitRevision.UNKNOWN + " (" + e.getMessage() + ")";
    }
    noteInput(file, bytes, sha);
  }

  /** As {@link #noteInput(Path)} with a digest the caller already computed. */
  static void noteInput(Path file, long bytes, String sha256) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (INPUTS) {
      INPUTS.putIfAbsent(key, new Input(file.toString(), bytes, sha256));
    }
  }

  /** The provenance of the current command, as of now. */
  public static Provenance current() {
    GitRevision g = checkout;
    if (g == null) checkout = g = GitRevision.of(codeLocation());
    String[] f = fixed;
    if (f == null)
      fixed = f = new String[] {Engine.libtorchVersion(), Engine.javacppVersion(), cpuModel()};
    List<Input> inputs;
    String cmd;
    synchronized (INPUTS) {
      inputs = new ArrayList<>(INPUTS.values());
      cmd = commandLine;
    }
    return new Provenance(
        STRATA_VERSION,
        cmd,
        g.commit(),
        g.tree(),
        inputs,
        f[0],
        f[1],
        Engine.blasInEffect(),
        Ops.threads(),
        Runtime.version().toString(),
        f[2],
        Instant.now().toString());
  }

  /** Where Strata's classes were loaded from (target/classes or the jar), else the working dir. */
  private static Path codeLocation() {
    try {
      CodeSource src = Provenance.class.getProtectionDomain().getCodeSource();
      if (src != null && src.getLocation() != null) return Path.of(src.getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  private static String cpuModel() {
    int cores = Runtime.getRuntime().availableProcessors();
    String model = GitRevision.UNKNOWN;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).strip();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the model stays unknown
    }
    return model + " (" + cores + " processors)";
  }
}
