package org.minibert.core.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.Json;

/**
 * The project's one tokenizer: a Hugging Face {@code tokenizer.json} run by the Hugging Face tokenizers library
 * (through DJL), so that the trainer, the inference service and any Python tool split text identically.
 *
 * <p>The file is the single source of truth: normalization (BertNormalizer without lowercasing, with accent
 * stripping, which decomposes Hangul syllables into conjoining jamo), pre-tokenization, WordPiece and the
 * {@code [CLS] A [SEP] B [SEP]} template all live in it. This class only loads {@code tokenizer.json} and never
 * hands DJL a {@code tokenizer_config.json}: given one that says {@code strip_accents}, DJL would additionally
 * apply NFKD in Java before the native tokenizer runs, which differs from Hugging Face for compatibility
 * characters (full-width letters, circled digits, compatibility jamo).
 *
 * <p>Tokens are therefore jamo strings ({@code "##ᅡᆫ"}); use {@link #display(String)} to show them to people.
 * Instances wrap native memory: close them. They are safe to share between threads.
 */
public final class BertTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final String[] tokens;
  private final Map<String, Integer> ids;

  private BertTokenizer(HuggingFaceTokenizer tokenizer, String[] tokens) {
    this.tokenizer = tokenizer;
    this.tokens = tokens;
    this.ids = new HashMap<>(tokens.length * 2);
    for (int id = 0; id < tokens.length; id++) {
      ids.put(tokens[id], id);
    }
  }

  /** Loads a {@code tokenizer.json} that never truncates: the caller decides what to do with long texts. */
  public static BertTokenizer load(Path tokenizerJson) throws IOException {
    return load(tokenizerJson, Map.of("truncation", "false"));
  }

  /**
   * Loads a {@code tokenizer.json} that truncates every encoding (with or without special tokens) to at most
   * {@code maxLength} tokens, cutting the longer text of a pair first; what a model with a fixed position table
   * needs.
   */
  public static BertTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
    if (maxLength < 3) {
      throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP] plus one token: " + maxLength);
    }
    String length = Integer.toString(maxLength);
    return load(tokenizerJson, Map.of("truncation", "longest_first", "maxLength", length, "modelMaxLength", length));
  }

  private static BertTokenizer load(Path tokenizerJson, Map<String, String> truncation) throws IOException {
    Map<String, String> options = new HashMap<>(truncation);
    options.put("padding", "false");
    String[] vocabulary = readVocabulary(tokenizerJson);
    return new BertTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options), vocabulary);
  }

  /** The WordPiece vocabulary in id order; DJL does not expose it, so it is read from the file itself. */
  private static String[] readVocabulary(Path tokenizerJson) throws IOException {
    JsonNode vocab = Json.MAPPER.readTree(tokenizerJson.toFile()).path("model").path("vocab");
    if (!vocab.isObject() || vocab.isEmpty()) {
      throw new IOException(tokenizerJson + " has no model.vocab");
    }
    String[] tokens = new String[vocab.size()];
    for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
      int id = entry.getValue().asInt(-1);
      if (id < 0 || id >= tokens.length || tokens[id] != null) {
        throw new IOException(tokenizerJson + ": model.vocab ids are not 0.." + (tokens.length - 1) + " without gaps");
      }
      tokens[id] = entry.getKey();
    }
    return tokens;
  }

  /** Token ids of a text without special tokens: what pre-training data preparation concatenates. */
  public int[] encodeWords(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /**
   * {@link #encodeWords(String)} for many texts at once: the native library spreads the batch over all cores,
   * which is several times faster than encoding one text after another.
   */
  public List<int[]> encodeBatch(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
    List<int[]> ids = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      ids.add(toInts(encoding.getIds()));
    }
    return ids;
  }

  /** One text as model input: {@code [CLS] text [SEP]}. */
  public Encoded encode(String text) {
    return toEncoded(tokenizer.encode(text, true, false));
  }

  /** A text pair as model input: {@code [CLS] first [SEP] second [SEP]} with type ids 0 then 1. */
  public Encoded encodePair(String first, String second) {
    return toEncoded(tokenizer.encode(first, second, true, false));
  }

  /**
   * Counts words, tokens and {@code [UNK]} tokens over some texts (encoded in one batch, without special tokens).
   */
  public TokenizationStats measure(List<String> texts) {
    long words = 0;
    long tokenCount = 0;
    long unknown = 0;
    for (Encoding encoding : tokenizer.batchEncode(texts, false, false)) {
      words += Arrays.stream(encoding.getWordIds()).distinct().count();
      for (long id : encoding.getIds()) {
        tokenCount++;
        if (id == SpecialTokens.UNK_ID) {
          unknown++;
        }
      }
    }
    return new TokenizationStats(words, tokenCount, unknown);
  }

  /** Ids back to text, special tokens dropped; the text is in decomposed jamo, apply NFC to show it. */
  public String decode(int[] ids) {
    return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
  }

  public int vocabSize() {
    return tokens.length;
  }

  /** The token with this id, as stored in the vocabulary (jamo, with {@code ##} on continuations). */
  public String token(int id) {
    return tokens[id];
  }

  /** The id of a vocabulary token, or {@link SpecialTokens#UNK_ID} when there is no such token. */
  public int id(String token) {
    return ids.getOrDefault(token, SpecialTokens.UNK_ID);
  }

  /** A token for people: without the {@code ##} continuation prefix and with its jamo composed back (NFC). */
  public static String display(String token) {
    String text = token.startsWith(SpecialTokens.CONTINUATION) ? token.substring(SpecialTokens.CONTINUATION.length()) : token;
    return Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static Encoded toEncoded(Encoding encoding) {
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] starts = new int[spans.length];
    int[] ends = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = spans[i] == null ? -1 : spans[i].getStart();
      ends[i] = spans[i] == null ? -1 : spans[i].getEnd();
    }
    return new Encoded(
        toInts(encoding.getIds()), toInts(encoding.getTypeIds()), toInts(encoding.getAttentionMask()), starts, ends);
  }

  private static int[] toInts(long[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }
}
