package dev.strata.search;

import dev.strata.propose.ArTraining;
import dev.strata.train.ResultJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state {@link ExpertIteration} keeps per completed round: {@code round-NNN.json} in the output
 * directory, written atomically once the round's checkpoint is saved, holding the loop's settings,
 * the round's metrics, the answers it accepted (as prompt and answer tokens) and the SHA-256 of all
 * three, so a resumed loop rebuilds its training data exactly and refuses a file that changed.
 */
final class ExpertRoundFiles {
  static final String FORMAT = "strata-expert-round";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A round read back: its metrics and the answers it accepted. */
  record Stored(
      ExpertIteration.Config config, ExpertRound round, List<ArTraining.Example> accepted) {}

  private ExpertRoundFiles() {}

  static Path file(Path out, int round) {
    return out.resolve(String.format("round-%03d.json", round));
  }

  static void write(
      Path out,
      ExpertIteration.Config config,
      ExpertRound round,
      List<ArTraining.Example> accepted) {
    ObjectNode payload = JSON.createObjectNode();
    payload.set("config", JSON.valueToTree(config));
    payload.set("round", JSON.valueToTree(round));
    ArrayNode examples = payload.putArray("accepted");
    for (ArTraining.Example e : accepted) {
      ObjectNode n = examples.addObject();
      ArrayNode p = n.putArray("prompt");
      for (long t : e.prompt()) p.add(t);
      ArrayNode a = n.putArray("answer");
      for (long t : e.answer()) a.add(t);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT).put("version", 1).put("sha256", sha256(payload));
    root.set("payload", payload);
    ResultJson.write(file(out, round.round()), root);
  }

  /**
   * Reads round {@code r}, or returns null when its file does not exist.
   *
   * @throws IllegalArgumentException in one line when the file is unreadable, changed since it was
   *     written, or was written with settings other than {@code expected}'s (the rounds aside;
   *     null: any settings)
   */
  static Stored read(Path out, int r, ExpertIteration.Config expected) {
    Path f = file(out, r);
    String fix =
        "; delete it and the round files after it to redo those rounds, or start afresh in another --out";
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | JacksonException e) {
      throw new IllegalArgumentException("round file " + f + " is unreadable or corrupt" + fix);
    }
    JsonNode payload = root == null ? null : root.get("payload");
    if (payload == null
        || !FORMAT.equals(root.path("format").asString(""))
        || !sha256(payload).equals(root.path("sha256").asString(""))) {
      throw new IllegalArgumentException(
          "round file "
              + f
              + " is corrupt (its content does not match the SHA-256 written with it)"
              + fix);
    }
    try {
      ExpertIteration.Config stored =
          JSON.treeToValue(payload.get("config"), ExpertIteration.Config.class);
      List<String> differ =
          expected == null ? List.of() : differences(stored.withRounds(0), expected.withRounds(0));
      if (!differ.isEmpty()) {
        throw new IllegalArgumentException(
            "round file "
                + f
                + " was written with other settings ("
                + String.join(", ", differ)
                + "); resume with the same settings or start afresh in another --out");
      }
      ExpertRound round = JSON.treeToValue(payload.get("round"), ExpertRound.class);
      if (round.round() != r)
        throw new IllegalArgumentException("round file " + f + " holds round " + round.round());
      List<ArTraining.Example> accepted = new ArrayList<>();
      for (JsonNode n : payload.get("accepted"))
        accepted.add(new ArTraining.Example(longs(n.get("prompt")), longs(n.get("answer"))));
      return new Stored(stored, round, accepted);
    } catch (JacksonException | NullPointerException e) {
      throw new IllegalArgumentException("round file " + f + " is not a Strata round file" + fix);
    }
  }

  /**
   * Every completed round in {@code out}, whatever its settings.
   *
   * @throws IllegalArgumentException in one line when there is none or a file is corrupt
   */
  static List<Stored> readAll(Path out) {
    List<Stored> all = new ArrayList<>();
    for (int r = 0; ; r++) {
      Stored s = read(out, r, null);
      if (s == null) break;
      all.add(s);
    }
    if (all.isEmpty())
      throw new IllegalArgumentException(
          out + " holds no rounds (no " + file(out, 0).getFileName() + "); run train expert first");
    return all;
  }

  /** "name stored vs given" for each setting that differs. */
  private static List<String> differences(ExpertIteration.Config a, ExpertIteration.Config b) {
    JsonNode x = JSON.valueToTree(a);
    JsonNode y = JSON.valueToTree(b);
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = x.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode other = y.get(e.getKey());
      if (!e.getValue().equals(other))
        out.add(e.getKey() + " " + e.getValue() + " there, " + other + " now");
    }
    return out;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asLong();
    return out;
  }

  /** SHA-256 (hex) of the payload's compact JSON. */
  private static String sha256(JsonNode payload) {
    try {
      byte[] bytes = JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
