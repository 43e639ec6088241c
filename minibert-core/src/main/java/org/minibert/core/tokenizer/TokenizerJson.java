package org.minibert.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.minibert.core.io.Json;

/**
 * The project's {@code tokenizer.json}: the one place that says what its pipeline is. The trainer
 * writes it with {@link #of}; {@link BertTokenizer} takes its Java path ({@link CommonTextEncoder})
 * only for a file that {@link #hasProjectPipeline has this pipeline}; {@link BertPreTokenizer}
 * mirrors its normalizer and pre-tokenizer for the vocabulary trainer. The Hugging Face library
 * reads the same file and stays the reference every Java path is tested against.
 *
 * <p>The pipeline: {@code BertNormalizer} (clean text, pad CJK ideographs, no accent stripping, no
 * lowercasing) then {@code NFD}, which decomposes Hangul into jamo and keeps other scripts' marks
 * as combining characters; {@code BertPreTokenizer}; {@code WordPiece} ({@code ##} prefix, {@value
 * #MAX_INPUT_CHARS_PER_WORD} characters per word at most); the {@code [CLS] A [SEP] B [SEP]}
 * template; the {@code WordPiece} decoder. The special tokens are also "added tokens", matched in
 * raw text before normalization: that is what makes {@code [MASK]} typed in a sentence the mask
 * token rather than three words.
 */
public final class TokenizerJson {
  /** The file name in a data set and in a version folder. */
  public static final String FILE = "tokenizer.json";

  /** WordPiece's limit: a longer word is one {@code [UNK]}. */
  public static final int MAX_INPUT_CHARS_PER_WORD = 100;

  private TokenizerJson() {}

  /** The project's {@code tokenizer.json} for this vocabulary (token ids in list order). */
  public static ObjectNode of(List<String> vocabulary) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    root.set("added_tokens", addedTokens());
    root.set("normalizer", normalizer());
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    root.set("post_processor", postProcessor());
    root.putObject("decoder")
        .put("type", "WordPiece")
        .put("prefix", SpecialTokens.CONTINUATION)
        .put("cleanup", true);
    ObjectNode model =
        root.putObject("model")
            .put("type", "WordPiece")
            .put("unk_token", SpecialTokens.UNK)
            .put("continuing_subword_prefix", SpecialTokens.CONTINUATION)
            .put("max_input_chars_per_word", MAX_INPUT_CHARS_PER_WORD);
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < vocabulary.size(); id++) {
      vocab.put(vocabulary.get(id), id);
    }
    return root;
  }

  /**
   * Whether a {@code tokenizer.json} has the project's pipeline: its added tokens, normalizer,
   * pre-tokenizer and template as {@link #of} writes them, and a WordPiece model with the same
   * unknown token and prefix (any vocabulary).
   */
  public static boolean hasProjectPipeline(JsonNode root) {
    JsonNode model = root.path("model");
    return root.path("added_tokens").equals(addedTokens())
        && root.path("normalizer").equals(normalizer())
        && root.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
        && root.path("post_processor").equals(postProcessor())
        && model.path("type").asText().equals("WordPiece")
        && model.path("unk_token").asText().equals(SpecialTokens.UNK)
        && model.path("continuing_subword_prefix").asText().equals(SpecialTokens.CONTINUATION);
  }

  /** The special tokens, matched in the raw text before normalization. */
  private static ArrayNode addedTokens() {
    ArrayNode added = Json.MAPPER.createArrayNode();
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
    return added;
  }

  /**
   * BertNormalizer without its accent stripping, then NFD: Hangul still decomposes into conjoining
   * jamo, but the marks of other scripts (Japanese dakuten, Vietnamese tones, Latin accents) stay,
   * as combining characters.
   */
  private static ObjectNode normalizer() {
    ObjectNode normalizer = Json.MAPPER.createObjectNode().put("type", "Sequence");
    ArrayNode steps = normalizer.putArray("normalizers");
    steps
        .addObject()
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", true)
        .put("strip_accents", false)
        .put("lowercase", false);
    steps.addObject().put("type", "NFD");
    return normalizer;
  }

  /** {@code [CLS] $A [SEP]} and {@code [CLS] $A:0 [SEP]:0 $B:1 [SEP]:1}. */
  private static ObjectNode postProcessor() {
    ObjectNode processor = Json.MAPPER.createObjectNode().put("type", "TemplateProcessing");
    ArrayNode single = processor.putArray("single");
    addSpecial(single, SpecialTokens.CLS, 0);
    addSequence(single, "A", 0);
    addSpecial(single, SpecialTokens.SEP, 0);
    ArrayNode pair = processor.putArray("pair");
    addSpecial(pair, SpecialTokens.CLS, 0);
    addSequence(pair, "A", 0);
    addSpecial(pair, SpecialTokens.SEP, 0);
    addSequence(pair, "B", 1);
    addSpecial(pair, SpecialTokens.SEP, 1);
    ObjectNode specials = processor.putObject("special_tokens");
    addSpecialTokenEntry(specials, SpecialTokens.CLS, SpecialTokens.CLS_ID);
    addSpecialTokenEntry(specials, SpecialTokens.SEP, SpecialTokens.SEP_ID);
    return processor;
  }

  private static void addSpecial(ArrayNode template, String token, int typeId) {
    template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
  }

  private static void addSequence(ArrayNode template, String sequence, int typeId) {
    template.addObject().putObject("Sequence").put("id", sequence).put("type_id", typeId);
  }

  private static void addSpecialTokenEntry(ObjectNode specials, String token, int id) {
    ObjectNode entry = specials.putObject(token).put("id", token);
    entry.putArray("ids").add(id);
    entry.putArray("tokens").add(token);
  }
}
