package dev.strata.train;

import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Training checkpoints: one directory per save under a run's checkpoint root,
 *
 * <pre>
 *   root/
 *     latest                       name of the newest complete checkpoint ("step-00001000")
 *     step-00001000/
 *       model.safetensors          the model's state dict (PyTorch names; loads with safetensors.torch)
 *       optimizer.safetensors      AdamW state (&lt;param&gt;.step/.exp_avg/.exp_avg_sq) and EMA shadows (ema.&lt;param&gt;)
 *       state.json                 step, model config JSON, libtorch RNG state, sampler state, metrics, elapsed time,
 *                                  provenance (commit, command, data files, engine: {@link Provenance})
 *       manifest.json              size and SHA-256 of each of the three files above
 * </pre>
 *
 * The optimizer lives in its own file so {@code model.safetensors} stays a plain state dict.
 *
 * <p>Saving is atomic: everything is written into a hidden temporary directory next to the target,
 * each file forced to disk, the manifest last; the directory is then renamed into place ({@code
 * ATOMIC_MOVE}) and only then is {@code latest} replaced (temporary file, fsync, atomic rename). A
 * crash at any point leaves the previous checkpoint intact and {@code latest} pointing at a
 * complete one. Loading verifies every file's size and checksum against the manifest and refuses a
 * truncated or corrupt checkpoint with a one-line {@link CheckpointException}. A verified
 * checkpoint's model file counts as an input of the running command ({@link Provenance}).
 * Checkpoints written before provenance was recorded load the same way.
 */
public final class Checkpoint {
  public static final String MODEL_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String STATE_FILE = "state.json";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String LATEST_FILE = "latest";

  /** Prefix of EMA shadow tensors inside {@value #OPTIMIZER_FILE}. */
  public static final String EMA_PREFIX = "ema.";

  public static final String FORMAT = "strata-checkpoint";
  public static final int VERSION = 1;

  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
  private static final String TMP_PREFIX = ".tmp-";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Checkpoint() {}

  /**
   * What a checkpoint records besides tensors.
   *
   * @param step optimizer steps completed (training resumes at this 0-based step index)
   * @param modelConfig the model's configuration as a JSON document, given by the caller (may be
   *     null)
   * @param rngState libtorch's global CPU generator state ({@link Ops#rngState()})
   * @param samplerState the caller's data-sampler position or seed
   * @param metrics metrics so far (last training loss, last evaluation, …)
   * @param elapsedSeconds training wall time so far, over all sessions
   */
  public record State(
      long step,
      String modelConfig,
      byte[] rngState,
      long samplerState,
      Map<String, Double> metrics,
      double elapsedSeconds) {
    public State {
      metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
  }

  /**
   * A verified checkpoint read into memory; tensors belong to the caller's {@code PointerScope}.
   */
  public record Loaded(
      Path dir, Map<String, Tensor> model, Map<String, Tensor> optimizer, State state) {
    /** The AdamW entries of {@link #optimizer()} (everything but EMA shadows). */
    public Map<String, Tensor> adamState() {
      Map<String, Tensor> out = new LinkedHashMap<>();
      optimizer.forEach(
          (k, v) -> {
            if (!k.startsWith(EMA_PREFIX)) out.put(k, v);
          });
      return out;
    }

    /** The EMA shadows by parameter name (empty if the run kept no EMA). */
    public Map<String, Tensor> emaShadow() {
      Map<String, Tensor> out = new LinkedHashMap<>();
      optimizer.forEach(
          (k, v) -> {
            if (k.startsWith(EMA_PREFIX)) out.put(k.substring(EMA_PREFIX.length()), v);
          });
      return out;
    }
  }

  // ---------------------------------------------------------------- saving

  /**
   * Saves a checkpoint as {@code root/step-NNNNNNNN}, points {@code root/latest} at it, and then
   * deletes all but the newest {@code keep} checkpoints ({@code keep ≤ 0} keeps all).
   *
   * @param optimizer may be null (model only)
   * @param ema may be null
   * @return the checkpoint directory
   */
  public static Path save(
      Path root, Module model, AdamW optimizer, Ema ema, State state, int keep) {
    String name = dirName(state.step());
    Path target = root.resolve(name);
    Path tmp =
        root.resolve(
            TMP_PREFIX + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try (PointerScope scope = new PointerScope()) {
      Files.createDirectories(root);
      deleteStaleTemporaries(root);
      Files.createDirectory(tmp);

      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", "pt");
      meta.put("step", Long.toString(state.step()));
      Safetensors.write(tmp.resolve(MODEL_FILE), model.stateDict(), meta);

      Map<String, Tensor> opt = new LinkedHashMap<>();
      if (optimizer != null) opt.putAll(optimizer.state());
      if (ema != null) ema.shadow().forEach((n, t) -> opt.put(EMA_PREFIX + n, t));
      Safetensors.write(tmp.resolve(OPTIMIZER_FILE), opt, meta);

      writeDurably(
          tmp.resolve(STATE_FILE),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stateJson(state)));

      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("format", FORMAT).put("version", VERSION).put("step", state.step());
      ObjectNode files = manifest.putObject("files");
      for (String f : List.of(MODEL_FILE, OPTIMIZER_FILE, STATE_FILE)) {
        Path p = tmp.resolve(f);
        files.putObject(f).put("bytes", Files.size(p)).put("sha256", sha256(p));
      }
      writeDurably(
          tmp.resolve(MANIFEST_FILE),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      forceDirectory(tmp);

      Path old = null;
      if (Files.exists(
          target)) { // re-saving a step: move the old copy aside, never leave the name empty for
        // long
        old = root.resolve(TMP_PREFIX + "old-" + name + "-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(root);

      Path latestTmp = root.resolve(TMP_PREFIX + LATEST_FILE);
      writeDurably(latestTmp, (name + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(
          latestTmp,
          root.resolve(LATEST_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(root);

      if (old != null) deleteRecursively(old);
      if (keep > 0) prune(root, keep, name);
      return target;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new CheckpointException(
          root,
          "cannot save checkpoint (" + e + ")",
          "check that the directory is writable and the disk has space",
          e);
    }
  }

  private static ObjectNode stateJson(State s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT).put("version", VERSION);
    n.put("step", s.step());
    if (s.modelConfig() == null) {
      n.putNull("model_config");
    } else {
      try {
        n.set("model_config", JSON.readTree(s.modelConfig()));
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            "model config is not valid JSON: " + e.getOriginalMessage(), e);
      }
    }
    n.put(
        "rng_state",
        s.rngState() == null ? null : Base64.getEncoder().encodeToString(s.rngState()));
    n.put("sampler_state", s.samplerState());
    ObjectNode metrics = n.putObject("metrics");
    s.metrics().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> metrics.put(e.getKey(), e.getValue()));
    n.put("elapsed_s", s.elapsedSeconds());
    n.put("saved_at", Instant.now().toString());
    n.set(ResultJson.PROVENANCE, JSON.valueToTree(Provenance.current()));
    return n;
  }

  public static String dirName(long step) {
    return String.format("step-%08d", step);
  }

  // ---------------------------------------------------------------- finding and verifying

  /**
   * The checkpoint directory that {@code path} names: the directory itself if it holds a manifest,
   * else (a checkpoint root) the one {@code latest} names, else the newest complete {@code step-*}
   * directory.
   */
  public static Path resolve(Path path) {
    if (Files.isRegularFile(path.resolve(MANIFEST_FILE))) return path;
    if (!Files.isDirectory(path)) {
      throw new CheckpointException(
          path,
          "no such checkpoint directory",
          "pass a checkpoint directory or a run's checkpoint root");
    }
    Path latest = path.resolve(LATEST_FILE);
    if (Files.isRegularFile(latest)) {
      try {
        Path named = path.resolve(Files.readString(latest, StandardCharsets.UTF_8).strip());
        if (Files.isRegularFile(named.resolve(MANIFEST_FILE))) return named;
      } catch (IOException e) {
        // fall through to scanning for the newest complete checkpoint
      }
    }
    List<Path> complete =
        stepDirs(path).stream().filter(d -> Files.isRegularFile(d.resolve(MANIFEST_FILE))).toList();
    if (complete.isEmpty()) {
      throw new CheckpointException(
          path,
          "holds no complete checkpoint (no " + MANIFEST_FILE + " in it or in a step-* directory)",
          "pass a directory written by Strata's Checkpoint.save");
    }
    return complete.getLast();
  }

  /**
   * Checks every file of checkpoint {@code dir} against its manifest (size, then SHA-256).
   *
   * @throws CheckpointException naming the first missing, truncated or corrupt file
   */
  public static void verify(Path dir) {
    Path manifestFile = dir.resolve(MANIFEST_FILE);
    String fix =
        "resume from an earlier checkpoint in "
            + dir.toAbsolutePath().getParent()
            + " or delete "
            + dir;
    JsonNode manifest;
    try {
      manifest = JSON.readTree(Files.readAllBytes(manifestFile));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          dir, "incomplete checkpoint: " + MANIFEST_FILE + " is missing", fix);
    } catch (IOException | JacksonException e) {
      throw new CheckpointException(
          manifestFile, "manifest is unreadable or corrupt (" + e.getMessage() + ")", fix);
    }
    JsonNode files = manifest.get("files");
    if (!FORMAT.equals(manifest.path("format").asString(null))
        || files == null
        || !files.isObject()) {
      throw new CheckpointException(manifestFile, "not a " + FORMAT + " manifest", fix);
    }
    for (String f : List.of(MODEL_FILE, OPTIMIZER_FILE, STATE_FILE)) {
      Path p = dir.resolve(f);
      JsonNode entry = files.get(f);
      if (entry == null || !entry.has("bytes") || !entry.has("sha256")) {
        throw new CheckpointException(
            manifestFile, "manifest has no size and checksum for " + f, fix);
      }
      long size;
      try {
        size = Files.size(p);
      } catch (IOException e) {
        throw new CheckpointException(p, "checkpoint file is missing", fix);
      }
      long expected = entry.get("bytes").asLong();
      if (size != expected) {
        throw new CheckpointException(
            p,
            (size < expected ? "truncated" : "corrupt")
                + " checkpoint file: "
                + size
                + " bytes, but "
                + expected
                + " were written",
            fix);
      }
      String actual = sha256(p);
      String recorded = entry.get("sha256").asString();
      if (!actual.equals(recorded)) {
        throw new CheckpointException(
            p,
            "corrupt checkpoint file: its SHA-256 "
                + abbreviate(actual)
                + " does not match "
                + abbreviate(recorded)
                + " recorded when it was written",
            fix);
      }
      if (f.equals(MODEL_FILE)) Provenance.noteInput(p, size, actual);
    }
  }

  private static String abbreviate(String hex) {
    return hex.length() <= 12 ? hex : hex.substring(0, 12) + "…";
  }

  // ---------------------------------------------------------------- loading

  /** Resolves, verifies and reads a checkpoint. */
  public static Loaded load(Path path) {
    Path dir = resolve(path);
    verify(dir);
    Map<String, Tensor> model = Safetensors.read(dir.resolve(MODEL_FILE)).tensors();
    Map<String, Tensor> optimizer = Safetensors.read(dir.resolve(OPTIMIZER_FILE)).tensors();
    return new Loaded(dir, model, optimizer, readVerifiedState(dir));
  }

  /**
   * Whether a checkpoint's model config (JSON) names {@code kind} in its "kind" field; false for
   * anything else.
   */
  public static boolean modelKind(String modelConfig, String kind) {
    try {
      JsonNode n = JSON.readTree(modelConfig);
      return n != null && n.has("kind") && kind.equals(n.get("kind").asString());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Resolves and verifies a checkpoint and returns its state (step, config, metrics) without
   * loading tensors.
   */
  public static State readState(Path path) {
    Path dir = resolve(path);
    verify(dir);
    return readVerifiedState(dir);
  }

  /**
   * Loads a checkpoint into existing objects: the model's parameters and buffers, and, when not
   * null, the optimizer state and the EMA shadows. The libtorch RNG and the caller's sampler are
   * not touched; the returned state carries both for the caller to apply.
   */
  public static State restore(Path path, Module model, AdamW optimizer, Ema ema) {
    try (PointerScope scope = new PointerScope()) {
      Loaded c = load(path);
      try {
        model.loadStateDict(c.model());
        if (optimizer != null) optimizer.loadState(c.adamState());
        if (ema != null) ema.loadShadow(c.emaShadow());
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(
            c.dir(),
            "does not fit this model: " + e.getMessage(),
            "build the model with the configuration stored in " + STATE_FILE,
            e);
      }
      return c.state();
    }
  }

  /** Loads only the model weights (for sampling or evaluation); returns the checkpoint's state. */
  public static State loadModel(Path path, Module model) {
    return restore(path, model, null, null);
  }

  private static State readVerifiedState(Path dir) {
    Path file = dir.resolve(STATE_FILE);
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(file));
      Map<String, Double> metrics = new LinkedHashMap<>();
      n.path("metrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
      JsonNode config = n.get("model_config");
      JsonNode rng = n.get("rng_state");
      return new State(
          n.get("step").asLong(),
          config == null || config.isNull() ? null : JSON.writeValueAsString(config),
          rng == null || rng.isNull() ? null : Base64.getDecoder().decode(rng.asString()),
          n.path("sampler_state").asLong(0),
          metrics,
          n.path("elapsed_s").asDouble(0));
    } catch (IOException | JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new CheckpointException(
          file,
          "checkpoint state is unreadable (" + e.getMessage() + ")",
          "resume from an earlier checkpoint");
    }
  }

  // ---------------------------------------------------------------- files

  /** Checkpoint directories under {@code root}, oldest step first. */
  public static List<Path> stepDirs(Path root) {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(
              p -> Files.isDirectory(p) && STEP_DIR.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(Checkpoint::stepOf))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long stepOf(Path dir) {
    Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void prune(Path root, int keep, String current) throws IOException {
    List<Path> dirs = new ArrayList<>(stepDirs(root));
    dirs.removeIf(d -> d.getFileName().toString().equals(current));
    for (int i = 0; i < dirs.size() - (keep - 1); i++) deleteRecursively(dirs.get(i));
  }

  private static void deleteStaleTemporaries(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList())
        deleteQuietly(p);
    }
  }

  static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
  }

  /** Makes a directory's entries (creations, renames) durable. */
  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static String sha256(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (ch.read(buf) >= 0) {
        md.update(buf.flip());
        buf.clear();
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new CheckpointException(
          file, "cannot read to checksum (" + e.getMessage() + ")", "check the file's permissions");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteRecursively(p);
    } catch (IOException ignored) {
      // best effort: a leftover temporary is removed by the next save
    }
  }
}
