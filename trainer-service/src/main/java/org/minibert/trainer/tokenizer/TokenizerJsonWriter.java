package org.minibert.trainer.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.minibert.core.io.Json;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * Writes a {@link Vocabulary} as a Hugging Face {@code tokenizer.json}, the one file every
 * component tokenizes with, and the matching {@code tokenizer_config.json} that Hugging Face
 * transformers reads next to it.
 *
 * <p>The pipeline written: {@code BertNormalizer} (clean text, pad CJK ideographs, no accent
 * stripping, no lowercasing) then {@code NFD}, which decomposes Hangul into jamo and keeps other
 * scripts' marks as combining characters; {@code BertPreTokenizer}, {@code WordPiece} ({@code ##}
 * prefix, {@value WordPieceTrainer#MAX_INPUT_CHARS_PER_WORD} characters per word at most), the
 * {@code [CLS] A [SEP] B [SEP]} template and the {@code WordPiece} decoder. The special tokens are
 * also "added tokens", matched in raw text before normalization: that is what makes {@code [MASK]}
 * typed in a sentence the mask token rather than three words.
 *
 * <p>Files are written atomically ({@link Json#write}), so a reader never sees half a tokenizer,
 * even when a run is killed mid-write.
 */
public final class TokenizerJsonWriter {
  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

  private TokenizerJsonWriter() {}

  /**
   * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into a directory (created if
   * missing).
   */
  public static void write(Vocabulary vocabulary, int modelMaxLength, Path directory)
      throws IOException {
    Files.createDirectories(directory);
    writeTokenizerJson(vocabulary, directory.resolve(TOKENIZER_JSON));
    writeTokenizerConfig(modelMaxLength, directory.resolve(TOKENIZER_CONFIG_JSON));
  }

  /** Writes the Hugging Face {@code tokenizer.json} for a vocabulary. */
  public static void writeTokenizerJson(Vocabulary vocabulary, Path file) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", "1.0");
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
    // BertNormalizer without its accent stripping, then NFD: Hangul still decomposes into
    // conjoining jamo, but the
    // marks of other scripts (Japanese dakuten, Vietnamese tones, Latin accents) stay, as combining
    // characters.
    ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
    ArrayNode steps = normalizer.putArray("normalizers");
    steps
        .addObject()
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", true)
        .put("strip_accents", false)
        .put("lowercase", false);
    steps.addObject().put("type", "NFD");
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
            .put("max_input_chars_per_word", WordPieceTrainer.MAX_INPUT_CHARS_PER_WORD);
    ObjectNode vocab = model.putObject("vocab");
    List<String> tokens = vocabulary.tokens();
    for (int id = 0; id < tokens.size(); id++) {
      vocab.put(tokens.get(id), id);
    }
    Json.write(file, root);
  }

  /**
   * Writes the {@code tokenizer_config.json} Hugging Face transformers loads with the tokenizer;
   * its settings agree with tokenizer.json, so {@code BertTokenizerFast} keeps the normalizer as it
   * is.
   */
  public static void writeTokenizerConfig(int modelMaxLength, Path file) throws IOException {
    ObjectNode config =
        Json.MAPPER
            .createObjectNode()
            .put("tokenizer_class", "BertTokenizerFast")
            .put("do_lower_case", false)
            .put("strip_accents", false)
            .put("tokenize_chinese_chars", true)
            .put("model_max_length", modelMaxLength)
            .put("unk_token", SpecialTokens.UNK)
            .put("sep_token", SpecialTokens.SEP)
            .put("pad_token", SpecialTokens.PAD)
            .put("cls_token", SpecialTokens.CLS)
            .put("mask_token", SpecialTokens.MASK);
    Json.write(file, config);
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
