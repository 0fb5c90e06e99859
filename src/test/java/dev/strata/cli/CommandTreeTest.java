package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command of the tree answers {@code --help} with its usage, lists the spellings of its
 * choices there, and refuses a value outside them with one line and exit code 2.
 */
class CommandTreeTest {
  /** A command's words after {@code strata}, and its picocli model. */
  record Node(List<String> path, CommandLine command) {}

  static List<Node> tree() {
    List<Node> out = new ArrayList<>();
    walk(new CommandLine(new Main()), List.of(), out);
    return out;
  }

  private static void walk(CommandLine c, List<String> path, List<Node> out) {
    out.add(new Node(path, c));
    c.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandName().equals(name)) return; // an alias
              walk(sub, Stream.concat(path.stream(), Stream.of(name)).toList(), out);
            });
  }

  private static String[] args(List<String> path, String... more) {
    return Stream.concat(path.stream(), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    List<Node> nodes = tree();
    assertThat(nodes.size()).as("commands in the tree").isGreaterThan(20);
    for (Node n : nodes) {
      CliTest.Run r = CliTest.run(args(n.path(), "--help"));
      String usage =
          String.join(" ", Stream.concat(Stream.of("strata"), n.path().stream()).toList());
      assertThat(r.code()).as("strata %s --help: %s", n.path(), r.err()).isZero();
      assertThat(r.out()).as("strata %s --help", n.path()).startsWith("Usage: " + usage);
      assertThat(r.err()).as("strata %s --help", n.path()).isEmpty();
    }
  }
}
