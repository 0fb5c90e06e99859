package dev.strata.world;

import dev.strata.train.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An offline dataset of Two-Room episodes: states and actions only (frames are rendered on the fly;
 * 920k frames at 224² RGB would be ~138 GB). The last {@code heldOut} episodes are held out:
 * training never sees them and evaluation draws only from them.
 *
 * <p>File format (big-endian), version {@value #VERSION}:
 *
 * <pre>
 *   magic "STRATAWM"  · int version · UTF env config (JSON) · long seed
 *   int episodes · int heldOut · long steps (actions in all)
 *   int[episodes] actions per episode
 *   float[(steps + episodes)·2] states (x, y) · float[steps·2] actions (a_x, a_y)
 *   long CRC-32 of every byte before it
 * </pre>
 *
 * A truncated, corrupt or foreign file, or one of another environment configuration, is refused
 * with a one-line reason.
 */
public final class Trajectories {
  public static final int VERSION = 1;
  private static final byte[] MAGIC = "STRATAWM".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public final TwoRoomConfig config;
  public final long seed;
  public final int heldOut;
  private final int[] lengths; // actions per episode
  private final int[] stateStart; // index of each episode's first state
  private final int[] actionStart; // index of each episode's first action
  private final float[] states; // (Σ(len+1), 2)
  private final float[] actions; // (Σ len, 2)
  private String sha256; // of the file read, or computed from the serialized bytes on demand

  public Trajectories(
      TwoRoomConfig config,
      long seed,
      int heldOut,
      int[] lengths,
      float[] states,
      float[] actions) {
    this.config = config;
    this.seed = seed;
    this.heldOut = heldOut;
    this.lengths = lengths.clone();
    this.stateStart = new int[lengths.length];
    this.actionStart = new int[lengths.length];
    long s = 0, a = 0;
    for (int e = 0; e < lengths.length; e++) {
      stateStart[e] = (int) s;
      actionStart[e] = (int) a;
      s += lengths[e] + 1;
      a += lengths[e];
    }
    if (states.length != 2 * s
        || actions.length != 2 * a
        || heldOut < 0
        || heldOut > lengths.length) {
      throw new IllegalArgumentException("trajectory arrays do not match their episode lengths");
    }
    this.states = states;
    this.actions = actions;
  }

  /**
   * Collects {@code episodes} episodes of the noisy expert: each starts from {@link TwoRoom#reset}
   * with its own seed and runs until the target is reached or {@code maxSteps} steps.
   */
  public static Trajectories collect(TwoRoomConfig config, int episodes, int heldOut, long seed) {
    if (episodes <= 0)
      throw new IllegalArgumentException("episodes must be positive, got " + episodes);
    if (heldOut <= 0 || heldOut >= episodes) {
      throw new IllegalArgumentException(
          "held-out episodes must be in 1…" + (episodes - 1) + ", got " + heldOut);
    }
    SplittableRandom root = new SplittableRandom(seed);
    int[] lengths = new int[episodes];
    float[] st = new float[episodes * (config.maxSteps() + 1) * 2];
    float[] ac = new float[episodes * config.maxSteps() * 2];
    int s = 0, a = 0;
    TwoRoom env = new TwoRoom(config);
    for (int e = 0; e < episodes; e++) {
      SplittableRandom rng = root.split();
      double[] q = env.reset(rng.nextLong());
      double[] goal = env.goal();
      NoisyExpert expert = new NoisyExpert(config, goal[0], goal[1], rng);
      st[s++] = (float) q[0];
      st[s++] = (float) q[1];
      int len = 0;
      boolean done = false;
      while (!done) {
        double[] act = expert.act(q[0], q[1]);
        Env.Step step = env.step(act);
        q = step.state();
        done = step.done();
        ac[a++] = (float) act[0];
        ac[a++] = (float) act[1];
        st[s++] = (float) q[0];
        st[s++] = (float) q[1];
        len++;
      }
      lengths[e] = len;
    }
    return new Trajectories(
        config, seed, heldOut, lengths, Arrays.copyOf(st, s), Arrays.copyOf(ac, a));
  }

  // ---------------------------------------------------------------- access

  public int episodes() {
    return lengths.length;
  }

  /** Episodes used for training: 0 … trainEpisodes − 1. */
  public int trainEpisodes() {
    return lengths.length - heldOut;
  }

  public boolean isHeldOut(int episode) {
    return episode >= trainEpisodes();
  }

  public long steps() {
    return actions.length / 2;
  }

  /** Actions in episode e (it has one more state). */
  public int length(int episode) {
    return lengths[episode];
  }

  public double stateX(int episode, int t) {
    return states[2 * (stateStart[episode] + t)];
  }

  public double stateY(int episode, int t) {
    return states[2 * (stateStart[episode] + t) + 1];
  }

  /** Action component {@code k} (0: x, 1: y) at step t of an episode. */
  public float action(int episode, int t, int k) {
    return actions[2 * (actionStart[episode] + t) + k];
  }

  // ---------------------------------------------------------------- file

  /**
   * The SHA-256 (hex) of the dataset's file: of the bytes read, or of the bytes {@link #write}
   * writes for a dataset collected in memory. A checkpoint records it, so a model is only evaluated
   * on the very file it was trained on (another held-out split would leak training episodes).
   */
  public String sha256() {
    if (sha256 == null) sha256 = sha256(serialized());
    return sha256;
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Writes the dataset atomically (a temporary file, then a rename). */
  public void write(Path file) {
    try {
      byte[] bytes = serialized();
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dataset " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's bytes: header, lengths, states, actions, CRC-32. */
  private byte[] serialized() {
    try {
      ByteArrayOutputStream bytes =
          new ByteArrayOutputStream(16 + 4 * (states.length + actions.length + lengths.length));
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(JSON.writeValueAsString(config));
      out.writeLong(seed);
      out.writeInt(lengths.length);
      out.writeInt(heldOut);
      out.writeLong(steps());
      for (int len : lengths) out.writeInt(len);
      for (float v : states) out.writeFloat(v);
      for (float v : actions) out.writeFloat(v);
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  /** Reads a dataset written by {@link #write}; refuses truncated, corrupt or foreign files. */
  public static Trajectories read(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
      Provenance.noteInput(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "dataset not found: "
              + file
              + " (make one with: strata world collect --out "
              + file
              + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + file + ": " + e.getMessage(), e);
    }
    String where = "dataset " + file;
    ByteBuffer in = ByteBuffer.wrap(data);
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC))
        throw new IllegalArgumentException(where + " is not a Strata trajectory file (bad magic)");
      int version = in.getInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            where + " has format version " + version + "; this Strata reads version " + VERSION);
      }
      int utfLen = Short.toUnsignedInt(in.getShort());
      byte[] utf = new byte[utfLen];
      in.get(utf);
      TwoRoomConfig config =
          JSON.readValue(new String(utf, StandardCharsets.UTF_8), TwoRoomConfig.class);
      long seed = in.getLong();
      int episodes = in.getInt();
      int heldOut = in.getInt();
      long steps = in.getLong();
      if (episodes <= 0 || heldOut < 0 || heldOut > episodes || steps < 0) {
        throw new IllegalArgumentException(where + " is corrupt (impossible counts in its header)");
      }
      long expected = in.position() + 4L * episodes + 8L * (steps + episodes) + 8L * steps + 8;
      if (data.length < expected) {
        throw new IllegalArgumentException(
            where + " is truncated: " + data.length + " bytes, its header promises " + expected);
      }
      if (data.length > expected)
        throw new IllegalArgumentException(
            where + " is corrupt: " + (data.length - expected) + " bytes past its end");
      CRC32 crc = new CRC32();
      crc.update(data, 0, data.length - 8);
      if (crc.getValue() != ByteBuffer.wrap(data, data.length - 8, 8).getLong()) {
        throw new IllegalArgumentException(where + " is corrupt (checksum mismatch)");
      }
      int[] lengths = new int[episodes];
      long sum = 0;
      for (int e = 0; e < episodes; e++) {
        lengths[e] = in.getInt();
        sum += lengths[e];
      }
      if (sum != steps)
        throw new IllegalArgumentException(where + " is corrupt (episode lengths do not add up)");
      float[] states = new float[(int) (2 * (steps + episodes))];
      in.asFloatBuffer().get(states);
      in.position(in.position() + 4 * states.length);
      float[] actions = new float[(int) (2 * steps)];
      in.asFloatBuffer().get(actions);
      Trajectories t = new Trajectories(config, seed, heldOut, lengths, states, actions);
      t.sha256 = sha256(data);
      return t;
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException(where + " is truncated (its header is incomplete)");
    } catch (tools.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          where + " is corrupt (unreadable environment configuration)");
    }
  }

  /** {@link #read}, refusing a dataset collected with another environment configuration. */
  public static Trajectories read(Path file, TwoRoomConfig expected) {
    Trajectories t = read(file);
    if (!t.config.equals(expected)) {
      throw new IllegalArgumentException(
          "dataset "
              + file
              + " was collected with another environment configuration ("
              + t.config
              + "; expected "
              + expected
              + ")");
    }
    return t;
  }
}
