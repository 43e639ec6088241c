package org.minibert.trainer.corpus;

import java.util.List;

/**
 * One document of a corpus: its sentences in their original order (next-sentence prediction needs
 * the order).
 *
 * @param source where it came from, for messages: a file, plus a page title or line number
 * @param title the page title, or an empty string when the format has none
 * @param sentences the cleaned sentences, none blank
 */
public record Document(String source, String title, List<String> sentences) {
  public Document {
    sentences = List.copyOf(sentences);
  }
}
