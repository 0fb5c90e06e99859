package dev.strata.train;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
 * bytes of JSON {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string:
 * string}}}, then the raw little-endian tensor bytes, offsets relative to the end of the header.
 * Files written here open with PyTorch's {@code safetensors.torch.load_file}; reading is strict and
 * reports any inconsistency as a {@link CheckpointException}.
 *
 * <p>Dtypes: F32, F64, BF16, I64 ({@link DType}). One tensor may hold at most 2 GiB.
 */
public final class Safetensors {
  public static final String METADATA = "__metadata__";

  /**
   * The reference implementation's limit on the header; guards against reading garbage as a length.
   */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final String REWRITE =
      "the file is damaged or not safetensors; write it again or use another copy";

  private Safetensors() {}

  /** Tensors by name (in file order of their data) and the string metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /**
   * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, replacing it, and
   * forces the bytes to disk. Tensors are written contiguous, detached.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    List<byte[]> data = new ArrayList<>();
    long offset = 0;
    for (var e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA))
        throw new IllegalArgumentException("a tensor may not be named " + METADATA);
      Tensor t = e.getValue();
      byte[] bytes = Ops.bytes(t);
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", Ops.dtype(t).safetensorsName);
      ArrayNode shape = entry.putArray("shape");
      for (long s : Ops.shape(t)) shape.add(s);
      entry.putArray("data_offsets").add(offset).add(offset + bytes.length);
      offset += bytes.length;
      data.add(bytes);
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded =
        (json.length + 7)
            / 8
            * 8; // spaces keep the data 8-byte aligned, as the reference writer does
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, head);
      for (byte[] b : data) writeFully(ch, ByteBuffer.wrap(b));
      ch.force(true);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          "cannot write safetensors file (" + e.getMessage() + ")",
          "check that the directory exists, is writable and has free space",
          e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  /** Reads and validates a whole file; tensors are new (in the caller's {@code PointerScope}). */
  public static Contents read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new CheckpointException(
            file, "file has " + size + " bytes, too few for a safetensors header", REWRITE);
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, file);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
        throw new CheckpointException(
            file,
            "header length "
                + headerLen
                + " is not in [2, "
                + MAX_HEADER_BYTES
                + "] (first 8 bytes must be the little-endian JSON header length)",
            REWRITE);
      }
      if (8 + headerLen > size) {
        throw new CheckpointException(
            file,
            "file is truncated: the header needs "
                + headerLen
                + " bytes but only "
                + (size - 8)
                + " follow the length",
            REWRITE);
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      readFully(ch, headerBuf, 8, file);
      List<Entry> entries = new ArrayList<>();
      Map<String, String> metadata = parseHeader(file, headerBuf.array(), entries);
      checkLayout(file, entries, size - 8 - headerLen);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        ByteBuffer b = ByteBuffer.allocate((int) (e.end - e.begin));
        readFully(ch, b, 8 + headerLen + e.begin, file);
        tensors.put(e.name, Ops.fromBytes(b.array(), e.dtype, e.shape));
      }
      return new Contents(tensors, metadata);
    } catch (IOException e) {
      throw new CheckpointException(
          file, "cannot read (" + e + ")", "check that the file exists and is readable", e);
    }
  }

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private static Map<String, String> parseHeader(Path file, byte[] header, List<Entry> entries) {
    JsonNode root;
    try {
      root =
          JSON.readTree(header); // Jackson rejects invalid UTF-8; trailing space padding is allowed
    } catch (JacksonException e) {
      throw new CheckpointException(
          file, "header is not valid JSON (" + e.getOriginalMessage() + ")", REWRITE, e);
    }
    if (root == null || !root.isObject())
      throw new CheckpointException(file, "header is not a JSON object", REWRITE);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (var p : root.properties()) {
      String name = p.getKey();
      JsonNode v = p.getValue();
      if (name.equals(METADATA)) {
        if (!v.isObject())
          throw new CheckpointException(file, METADATA + " is not a JSON object", REWRITE);
        for (var m : v.properties()) {
          if (!m.getValue().isString()) {
            throw new CheckpointException(
                file, METADATA + " entry '" + m.getKey() + "' is not a string", REWRITE);
          }
          metadata.put(m.getKey(), m.getValue().stringValue());
        }
      } else {
        entries.add(parseEntry(file, name, v));
      }
    }
    return metadata;
  }

  private static Entry parseEntry(Path file, String name, JsonNode v) {
    String where = "tensor '" + name + "'";
    if (!v.isObject()
        || v.size() != 3
        || !v.has("dtype")
        || !v.has("shape")
        || !v.has("data_offsets")) {
      throw new CheckpointException(
          file, where + " must be an object with exactly dtype, shape and data_offsets", REWRITE);
    }
    JsonNode dtypeNode = v.get("dtype");
    if (!dtypeNode.isString())
      throw new CheckpointException(file, where + " has a non-string dtype", REWRITE);
    DType dtype;
    try {
      dtype = DType.fromSafetensors(dtypeNode.stringValue());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          file,
          where
              + " has dtype '"
              + dtypeNode.stringValue()
              + "', which Strata does not read (F32, F64, BF16, I64)",
          "convert the tensor to one of these before saving");
    }
    long[] shape = longs(file, where + " shape", v.get("shape"), -1);
    long[] offsets = longs(file, where + " data_offsets", v.get("data_offsets"), 2);
    if (offsets[0] > offsets[1]) {
      throw new CheckpointException(
          file,
          where + " has data_offsets " + Arrays.toString(offsets) + " with begin > end",
          REWRITE);
    }
    long numel = 1;
    for (long s : shape) numel = Math.multiplyExact(numel, s);
    if (Math.multiplyExact(numel, (long) dtype.bytes) != offsets[1] - offsets[0]) {
      throw new CheckpointException(
          file,
          where
              + ": shape "
              + Arrays.toString(shape)
              + " of "
              + dtype.safetensorsName
              + " needs "
              + numel * dtype.bytes
              + " bytes but data_offsets "
              + Arrays.toString(offsets)
              + " span "
              + (offsets[1] - offsets[0]),
          REWRITE);
    }
    if (offsets[1] - offsets[0] > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(
          file, where + " is larger than 2 GiB, which Strata does not read", "split the tensor");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(Path file, String what, JsonNode node, int length) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new CheckpointException(
          file,
          what
              + " must be an array"
              + (length >= 0 ? " of " + length : "")
              + " non-negative integers",
          REWRITE);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode x = node.get(i);
      if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 0) {
        throw new CheckpointException(
            file, what + " must hold non-negative integers, found " + x, REWRITE);
      }
      out[i] = x.longValue();
    }
    return out;
  }

  /**
   * The data offsets must tile [0, dataBytes) exactly: no gap, no overlap, nothing past the end.
   */
  private static void checkLayout(Path file, List<Entry> entries, long dataBytes) {
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    for (Entry e : entries) {
      if (e.begin < expected) {
        throw new CheckpointException(
            file,
            "tensor '"
                + e.name
                + "' overlaps the previous tensor (data_offsets begin at "
                + e.begin
                + ", previous data end at "
                + expected
                + ")",
            REWRITE);
      }
      if (e.begin > expected) {
        throw new CheckpointException(
            file,
            "unused bytes "
                + expected
                + ".."
                + e.begin
                + " before tensor '"
                + e.name
                + "' (safetensors data must be contiguous)",
            REWRITE);
      }
      expected = e.end;
    }
    if (expected > dataBytes) {
      throw new CheckpointException(
          file,
          "file is truncated: the header describes "
              + expected
              + " data bytes but only "
              + dataBytes
              + " are present",
          "the write was interrupted; use an earlier copy");
    }
    if (expected < dataBytes) {
      throw new CheckpointException(
          file, (dataBytes - expected) + " bytes follow the last tensor's data", REWRITE);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file)
      throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, position);
      if (n < 0) throw new CheckpointException(file, "file is truncated while reading", REWRITE);
      position += n;
    }
  }
}
