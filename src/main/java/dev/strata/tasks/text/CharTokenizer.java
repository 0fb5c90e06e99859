package dev.strata.tasks.text;

import java.util.TreeSet;

/**
 * Character-level tokenizer: the vocabulary is the sorted set of characters of a corpus (nanoGPT's
 * {@code shakespeare_char}: 65 symbols for tinyshakespeare).
 */
public record CharTokenizer(String alphabet) {

  public static CharTokenizer fit(String text) {
    TreeSet<Character> chars = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) chars.add(text.charAt(i));
    StringBuilder sb = new StringBuilder();
    chars.forEach(sb::append);
    return new CharTokenizer(sb.toString());
  }

  public int vocabSize() {
    return alphabet.length();
  }

  /** Token ids of {@code text}; a character outside the alphabet is an error naming it. */
  public long[] encode(String text) {
    long[] ids = new long[text.length()];
    for (int i = 0; i < ids.length; i++) {
      int id = alphabet.indexOf(text.charAt(i));
      if (id < 0) {
        throw new IllegalArgumentException(
            "character '"
                + printable(text.charAt(i))
                + "' at position "
                + i
                + " is not in the model's vocabulary of "
                + vocabSize()
                + " characters");
      }
      ids[i] = id;
    }
    return ids;
  }

  public String decode(long[] ids) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (long id : ids) sb.append(alphabet.charAt((int) id));
    return sb.toString();
  }

  private static String printable(char c) {
    return c < 32 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
