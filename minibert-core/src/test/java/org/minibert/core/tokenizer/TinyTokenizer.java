package org.minibert.core.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.minibert.core.io.Json;

/**
 * A tokenizer.json of the project's shape (BertNormalizer without accent stripping, NFD,
 * BertPreTokenizer, WordPiece, the BERT template) with a handful of Korean pieces, written for
 * tests of the tokenizer layer.
 */
public final class TinyTokenizer {
  /**
   * The pieces after the special tokens, composed; written decomposed (NFD) as the normalizer
   * leaves them.
   */
  public static final List<String> PIECES =
      List.of(
          ".", "서울", "##이다", "이", "##다", "대한민국의", "수도는", "##은", "##는", "##ᆫ", "한", "##글", "##을",
          "강", "##이");

  private TinyTokenizer() {}

  public static BertTokenizer write(Path dir) throws IOException {
    return write(dir, PIECES);
  }

  /** The same file with other pieces (after the special tokens, written decomposed). */
  public static BertTokenizer write(Path dir, List<String> pieces) throws IOException {
    List<String> vocab = new ArrayList<>(SpecialTokens.ALL);
    pieces.forEach(p -> vocab.add(Normalizer.normalize(p, Normalizer.Form.NFD)));
    ObjectNode root = TokenizerJson.of(vocab);
    Path file = dir.resolve("tokenizer.json");
    Json.write(file, root);
    return BertTokenizer.load(file);
  }

  /** The tokens of an encoding, composed for reading ({@code ##} kept). */
  public static List<String> tokens(BertTokenizer tokenizer, int[] ids) {
    List<String> out = new ArrayList<>();
    for (int id : ids) {
      out.add(Normalizer.normalize(tokenizer.token(id), Normalizer.Form.NFC));
    }
    return out;
  }
}
