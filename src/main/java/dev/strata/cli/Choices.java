package dev.strata.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Options whose value is one of a fixed set are enums; each constant's {@code toString()} is the
 * spelling users type (e.g. {@code sudoku-ebm}), which picocli lists in {@code --help} through
 * {@code ${COMPLETION-CANDIDATES}}. This converter accepts exactly those spellings and refuses
 * anything else with one line naming the choices.
 */
final class Choices<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
  /** The word an error calls a choice by, when the option name alone would not say it. */
  private static final Map<String, String> NOUNS =
      Map.of(
          "--arch", "architecture",
          "--archs", "architecture",
          "--config", "world-model configuration",
          "--world-config", "world-model configuration",
          "--samplers", "sampler",
          "--proposers", "proposer",
          "--energies", "energy",
          "--searches", "search",
          "--x", "x axis");

  private final Class<E> type;
  private final String noun;

  private Choices(Class<E> type, String noun) {
    this.type = type;
    this.noun = noun;
  }

  @Override
  public E convert(String value) {
    for (E e : type.getEnumConstants()) if (e.toString().equals(value)) return e;
    throw new CommandLine.TypeConversionException(
        "unknown " + noun + " '" + value + "'; choose " + list(type));
  }

  /** The spellings of {@code type}'s constants, e.g. "ar or diffusion", "a, b or c". */
  static String list(Class<? extends Enum<?>> type) {
    List<String> s = Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    return s.size() == 1
        ? s.getFirst()
        : String.join(", ", s.subList(0, s.size() - 1)) + " or " + s.getLast();
  }

  /**
   * Gives every enum-valued option and parameter of {@code root}'s command tree a converter that
   * accepts only the spellings; options of one type share the noun of the first one met.
   */
  static void install(CommandLine root) {
    Map<Class<?>, String> nouns = new HashMap<>();
    collect(root.getCommandSpec(), nouns);
    nouns.forEach((type, noun) -> register(root, type, noun));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(CommandLine root, Class<?> type, String noun) {
    root.registerConverter((Class) type, new Choices(type, noun));
  }

  /** The enum types of every option of the tree, with the noun their errors use. */
  static void collect(CommandSpec spec, Map<Class<?>, String> nouns) {
    List<ArgSpec> args = new ArrayList<>(spec.args());
    for (ArgSpec a : args) {
      Class<?> t = enumType(a);
      if (t != null) nouns.putIfAbsent(t, noun(a));
    }
    for (CommandLine sub : spec.subcommands().values()) collect(sub.getCommandSpec(), nouns);
  }

  /** The enum an option holds (alone, or as the element of a list), else null. */
  static Class<?> enumType(ArgSpec a) {
    if (a.type().isEnum()) return a.type();
    Class<?>[] aux = a.auxiliaryTypes();
    return aux.length == 1 && aux[0].isEnum() ? aux[0] : null;
  }

  private static String noun(ArgSpec a) {
    if (!(a instanceof CommandLine.Model.OptionSpec o)) return "value";
    String name = o.longestName();
    return NOUNS.getOrDefault(name, name.replaceFirst("^-+", "").replace('-', ' '));
  }
}
