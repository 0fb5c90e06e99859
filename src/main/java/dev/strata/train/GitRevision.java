package dev.strata.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The commit a checkout is at and whether its files differ from it.
 *
 * <p>The commit is read from {@code .git} itself ({@code HEAD}, loose refs, {@code packed-refs}; a
 * worktree's {@code .git} file and its {@code commondir} are followed), so it is known without a
 * {@code git} program. Whether the tree is dirty needs {@code git status}; without {@code git}, or
 * outside a checkout, the answer is {@link #UNKNOWN}.
 *
 * @param commit the full commit hash, or {@link #UNKNOWN}
 * @param tree {@code "clean"}, {@code "dirty"} (tracked changes or untracked, not ignored files),
 *     or {@link #UNKNOWN}
 */
public record GitRevision(String commit, String tree) {
  public static final String UNKNOWN = "unknown";

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  /** The checkout that holds {@code dir} (searching upwards), or unknown on both counts. */
  public static GitRevision of(Path dir) {
    Path root = checkoutRoot(dir);
    if (root == null) return new GitRevision(UNKNOWN, UNKNOWN);
    String commit = readCommit(root.resolve(".git"));
    return new GitRevision(commit == null ? UNKNOWN : commit, treeState(root));
  }

  private static Path checkoutRoot(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) return p;
    }
    return null;
  }

  /** The commit HEAD names, following one symbolic ref; null when it cannot be read. */
  static String readCommit(Path dotGit) {
    try {
      Path gitDir = dotGit;
      if (Files.isRegularFile(dotGit)) { // a worktree or submodule: "gitdir: <path>"
        String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
        if (!line.startsWith("gitdir:")) return null;
        gitDir = dotGit.getParent().resolve(line.substring("gitdir:".length()).strip());
      }
      Path common = gitDir;
      Path commonFile = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonFile)) {
        common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).strip());
      }
      String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
      if (HASH.matcher(head).matches()) return head; // detached HEAD
      if (!head.startsWith("ref:")) return null;
      String ref = head.substring("ref:".length()).strip();
      for (Path base : new Path[] {gitDir, common}) {
        Path loose = base.resolve(ref);
        if (Files.isRegularFile(loose)) {
          String hash = Files.readString(loose, StandardCharsets.UTF_8).strip();
          if (HASH.matcher(hash).matches()) return hash;
        }
      }
      Path packed = common.resolve("packed-refs");
      if (Files.isRegularFile(packed)) {
        for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
          String[] parts = line.strip().split(" ");
          if (parts.length == 2 && parts[1].equals(ref) && HASH.matcher(parts[0]).matches())
            return parts[0];
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** "clean" or "dirty" from {@code git status}, or unknown when git is missing or refuses. */
  private static String treeState(Path root) {
    try {
      Process p =
          new ProcessBuilder(
                  "git", "--no-optional-locks", "-C", root.toString(), "status", "--porcelain")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return UNKNOWN;
      }
      if (p.exitValue() != 0) return UNKNOWN;
      return out.length == 0 ? "clean" : "dirty";
    } catch (IOException e) {
      return UNKNOWN; // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    }
  }
}
