package org.minibert.core.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
    ObjectNode root = Json.MAPPER.createObjectNode().put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int id = 0; id < SpecialTokens.ALL.size(); id++) {
      added
          .addObject()
          .put("id", id)
          .put("content", SpecialTokens.ALL.get(id))
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    ArrayNode steps = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
    steps
        .addObject()
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", true)
        .put("strip_accents", false)
        .put("lowercase", false);
    steps.addObject().put("type", "NFD");
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode processor = root.putObject("post_processor").put("type", "TemplateProcessing");
    ArrayNode single = processor.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", SpecialTokens.CLS).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    single.addObject().putObject("SpecialToken").put("id", SpecialTokens.SEP).put("type_id", 0);
    ArrayNode pair = processor.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", SpecialTokens.CLS).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", SpecialTokens.SEP).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    pair.addObject().putObject("SpecialToken").put("id", SpecialTokens.SEP).put("type_id", 1);
    ObjectNode specials = processor.putObject("special_tokens");
    for (String token : List.of(SpecialTokens.CLS, SpecialTokens.SEP)) {
      ObjectNode entry = specials.putObject(token).put("id", token);
      entry.putArray("ids").add(SpecialTokens.ALL.indexOf(token));
      entry.putArray("tokens").add(token);
    }
    ObjectNode model =
        root.putObject("model")
            .put("type", "WordPiece")
            .put("unk_token", SpecialTokens.UNK)
            .put("continuing_subword_prefix", SpecialTokens.CONTINUATION)
            .put("max_input_chars_per_word", 100);
    ObjectNode vocabNode = model.putObject("vocab");
    for (int id = 0; id < vocab.size(); id++) {
      vocabNode.put(vocab.get(id), id);
    }
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
