package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

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
      assertThat(r.out()).as("strata %s --help", n.path()).contains("Usage: " + usage + " ");
      assertThat(r.err()).as("strata %s --help", n.path()).isEmpty();
      assertThat(r.out()).as("strata %s --help lists --threads", n.path()).contains("--threads");
    }
  }

  @Test
  void outputOptionsShareOneSpellingAndNameTheirDefault() {
    assertThat(CliTest.run("train", "lm", "--help").out().replaceAll("\\s+", " "))
        .contains("--out=DIR")
        .contains("run directory: checkpoints, metrics.jsonl, plots (default: runs/lm-<arch>)");
    assertThat(CliTest.run("bench", "reasoning", "--help").out().replaceAll("\\s+", " "))
        .contains("--out=FILE")
        .contains("(default: runs/bench/reasoning-<task>.json)");
    assertThat(CliTest.run("world", "eval", "--help").out().replaceAll("\\s+", " "))
        .contains("--data=FILE")
        .contains("(default: runs/world/two-room.bin)");
  }

  @Test
  void threadsAppliesToTheCommandAndRefusesZeroWithOneLine() {
    int before = dev.strata.nn.Ops.threads();
    try {
      CliTest.Run one = CliTest.run("version", "--threads", "1");
      assertThat(one.code()).as(one.err()).isZero();
      assertThat(one.out()).containsPattern("threads +1\\n");
      CliTest.Run zero = CliTest.run("train", "lm", "--threads", "0", "--data", "x.txt");
      assertThat(zero.code()).isEqualTo(Main.USAGE);
      assertThat(zero.err().strip()).doesNotContain("\n").contains("--threads must be at least 1");
    } finally {
      dev.strata.nn.Ops.setThreads(before);
    }
  }

  @Test
  void everyChoiceIsListedInHelpAndABadValueIsOneLineAndExitCode2() {
    int choices = 0;
    for (Node n : tree()) {
      for (OptionSpec o : n.command().getCommandSpec().options()) {
        Class<?> type = Choices.enumType(o);
        if (type == null) continue;
        choices++;
        List<String> spellings = Stream.of(type.getEnumConstants()).map(Object::toString).toList();
        String help = CliTest.run(args(n.path(), "--help")).out();
        String where = "strata " + String.join(" ", n.path()) + " " + o.longestName();
        for (String s : spellings) assertThat(help).as("%s lists %s", where, s).contains(s);
        CliTest.Run r = CliTest.run(args(n.path(), o.longestName(), "bogus"));
        CliTest.assertUserError(r, "'bogus'");
        assertThat(r.err()).as(where).contains("unknown ").contains(Choices.list(cast(type)));
      }
    }
    assertThat(choices).as("enum-valued options").isGreaterThan(0);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Enum<?>> cast(Class<?> type) {
    return (Class<? extends Enum<?>>) type;
  }
}
