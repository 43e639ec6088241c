package org.minibert.trainer.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Korean sentences for tokenizer tests: a small training text and sentences on other topics it
 * never saw.
 */
final class KoreanSamples {
  private KoreanSamples() {}

  /** 127 everyday sentences: family, school, food, travel, history, economy. */
  static List<String> training() {
    return lines("ko-train.txt");
  }

  /**
   * 20 sentences on science, medicine, sports, music and law: mostly words the training text lacks.
   */
  static List<String> unseen() {
    return lines("ko-unseen.txt");
  }

  static WordPieceTrainer trainerFor(List<String> texts, int vocabSize) {
    WordPieceTrainer trainer = new WordPieceTrainer(vocabSize, 1, 1);
    texts.forEach(trainer::addText);
    return trainer;
  }

  private static List<String> lines(String name) {
    try (InputStream in = KoreanSamples.class.getResourceAsStream("/tokenizer/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
