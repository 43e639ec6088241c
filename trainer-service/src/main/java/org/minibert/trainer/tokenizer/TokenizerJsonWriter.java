package org.minibert.trainer.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.minibert.core.io.Json;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.core.tokenizer.TokenizerJson;

/**
 * Writes a {@link Vocabulary} as the project's {@code tokenizer.json} (its pipeline is {@link
 * TokenizerJson}'s), and the matching {@code tokenizer_config.json} that Hugging Face transformers
 * reads next to it. Files are written atomically ({@link Json#write}), so a reader never sees half
 * a tokenizer, even when a run is killed mid-write.
 */
public final class TokenizerJsonWriter {
  public static final String TOKENIZER_JSON = TokenizerJson.FILE;
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

  /** Writes the project's {@code tokenizer.json} ({@link TokenizerJson}) for a vocabulary. */
  public static void writeTokenizerJson(Vocabulary vocabulary, Path file) throws IOException {
    Json.write(file, TokenizerJson.of(vocabulary.tokens()));
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
}
