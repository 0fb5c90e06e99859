package dev.strata.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the PyTorch side of a side-by-side benchmark (a script under {@code bench/pytorch/}) and
 * reads its JSON.
 */
public final class PyTorchPeer {
  private PyTorchPeer() {}

  public static JsonNode run(String python, Path script, List<String> archs, int steps) {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(
          script + " not found: run from the Strata repository root");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                python,
                script.toString(),
                "--archs",
                String.join(",", archs),
                "--steps",
                Integer.toString(steps),
                "--warmup",
                Integer.toString(SubstrateBench.WARMUP_STEPS),
                "--threads",
                Integer.toString(dev.strata.nn.Ops.threads())));
    System.err.println("bench: running PyTorch peer: " + String.join(" ", cmd));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0)
        throw new IllegalArgumentException(
            "the PyTorch peer failed (exit " + code + "); is torch installed for " + python + "?");
      return JsonMapper.builder().build().readTree(out);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot run '"
              + python
              + "': "
              + e.getMessage()
              + " (give --pytorch a Python with torch)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
