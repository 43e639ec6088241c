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
 * The project's one tokenizer: a Hugging Face {@code tokenizer.json} run by the Hugging Face
 * tokenizers library (through DJL), so that the trainer, the inference service and any Python tool
 * split text identically.
 *
 * <p>The file is the single source of truth: normalization (BertNormalizer without lowercasing or
 * accent stripping, then NFD, which decomposes Hangul syllables into conjoining jamo),
 * pre-tokenization, WordPiece and the {@code [CLS] A [SEP] B [SEP]} template all live in it. This
 * class only loads {@code tokenizer.json} and never hands DJL a {@code tokenizer_config.json}:
 * given one that says {@code strip_accents}, DJL would additionally apply NFKD in Java before the
 * native tokenizer runs, which differs from Hugging Face for compatibility characters (full-width
 * letters, circled digits, compatibility jamo).
 *
 * <p>One thing is done here on top of the library: a word glued to a {@code [MASK]} ("[MASK]이다") is
 * encoded as continuation pieces ({@code [MASK] ##이다}), as the same word reads in training text
 * ("서울이다" is {@code 서울 ##이다}); the library would start a new word after the added token ({@code
 * [MASK] 이 ##다}).
 *
 * <p>{@link #encode} and {@link #encodePair} take a Java path for texts made only of common
 * characters (ASCII, Hangul syllables, CJK ideographs, common punctuation) when the file has the
 * project's pipeline ({@link CommonTextEncoder}): the same tokens and offsets as the library, at a
 * fraction of its cost (bench/out/tokenizer.md). Other texts, and other files, go through the
 * library; {@link #encodeWithLibrary} always does.
 *
 * <p>Tokens are therefore jamo strings ({@code "##ᅡᆫ"}); use {@link #display(String)} to show them
 * to people. Instances wrap native memory: close them. They are safe to share between threads.
 */
public final class BertTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  /**
   * WordPiece's {@code max_input_chars_per_word}, as the project writes it: longer words are {@code
   * [UNK]}.
   */
  private final String[] tokens;

  private final Map<String, Integer> ids;
  private final boolean[] continuation;
  private final WordPieceMatcher wordPiece;

  /** The Java path for texts of common characters, or null when the file's pipeline is another. */
  private final CommonTextEncoder common;

  /** The most tokens of an encoding, special tokens included (truncation), or MAX_VALUE. */
  private final int maxLength;

  private BertTokenizer(
      HuggingFaceTokenizer tokenizer,
      String[] tokens,
      int maxInputCharsPerWord,
      boolean javaPipeline,
      int maxLength) {
    this.tokenizer = tokenizer;
    this.tokens = tokens;
    this.maxLength = maxLength;
    this.ids = new HashMap<>(tokens.length * 2);
    this.continuation = new boolean[tokens.length];
    for (int id = 0; id < tokens.length; id++) {
      ids.put(tokens[id], id);
      continuation[id] = tokens[id].startsWith(SpecialTokens.CONTINUATION);
    }
    this.wordPiece = new WordPieceMatcher(tokens, ids, maxInputCharsPerWord);
    this.common = javaPipeline ? new CommonTextEncoder(wordPiece) : null;
  }

  /**
   * Loads a {@code tokenizer.json} that never truncates: the caller decides what to do with long
   * texts.
   */
  public static BertTokenizer load(Path tokenizerJson) throws IOException {
    return load(tokenizerJson, Map.of("truncation", "false"), Integer.MAX_VALUE);
  }

  /**
   * Loads a {@code tokenizer.json} that truncates every encoding (with or without special tokens)
   * to at most {@code maxLength} tokens, cutting the longer text of a pair first; what a model with
   * a fixed position table needs.
   */
  public static BertTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
    if (maxLength < 3) {
      throw new IllegalArgumentException(
          "maxLength must leave room for [CLS] and [SEP] plus one token: " + maxLength);
    }
    String length = Integer.toString(maxLength);
    return load(
        tokenizerJson,
        Map.of("truncation", "longest_first", "maxLength", length, "modelMaxLength", length),
        maxLength);
  }

  private static BertTokenizer load(
      Path tokenizerJson, Map<String, String> truncation, int maxLength) throws IOException {
    Map<String, String> options = new HashMap<>(truncation);
    options.put("padding", "false");
    JsonNode root = Json.MAPPER.readTree(tokenizerJson.toFile());
    JsonNode model = root.path("model");
    String[] vocabulary = readVocabulary(tokenizerJson, model);
    int maxChars =
        model.path("max_input_chars_per_word").asInt(TokenizerJson.MAX_INPUT_CHARS_PER_WORD);
    return new BertTokenizer(
        HuggingFaceTokenizer.newInstance(tokenizerJson, options),
        vocabulary,
        maxChars,
        TokenizerJson.hasProjectPipeline(root),
        maxLength);
  }

  /**
   * The WordPiece vocabulary in id order; DJL does not expose it, so it is read from the file
   * itself.
   */
  private static String[] readVocabulary(Path tokenizerJson, JsonNode model) throws IOException {
    JsonNode vocab = model.path("vocab");
    if (!vocab.isObject() || vocab.isEmpty()) {
      throw new IOException(tokenizerJson + " has no model.vocab");
    }
    String[] tokens = new String[vocab.size()];
    for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
      int id = entry.getValue().asInt(-1);
      if (id < 0 || id >= tokens.length || tokens[id] != null) {
        throw new IOException(
            tokenizerJson
                + ": model.vocab ids are not 0.."
                + (tokens.length - 1)
                + " without gaps");
      }
      tokens[id] = entry.getKey();
    }
    return tokens;
  }

  /**
   * Token ids of a text without special tokens: what pre-training data preparation concatenates.
   */
  public int[] encodeWords(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /**
   * {@link #encodeWords(String)} for many texts at once: the native library spreads the batch over
   * all cores, which is several times faster than encoding one text after another.
   */
  public List<int[]> encodeBatch(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
    List<int[]> ids = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      ids.add(toInts(encoding.getIds()));
    }
    return ids;
  }

  /**
   * One text as model input: {@code [CLS] text [SEP]}; a word glued to a {@code [MASK]} is encoded
   * as continuation pieces (see the class comment).
   */
  public Encoded encode(String text) {
    CommonTextEncoder.Sequence sequence = common == null ? null : common.encode(text);
    if (sequence == null || sequence.length() + 2 > maxLength) {
      return encodeWithLibrary(text);
    }
    return withTemplate(sequence, null, text, text);
  }

  /** A text pair as model input: {@code [CLS] first [SEP] second [SEP]} with type ids 0 then 1. */
  public Encoded encodePair(String first, String second) {
    CommonTextEncoder.Sequence a = common == null ? null : common.encode(first);
    CommonTextEncoder.Sequence b = a == null ? null : common.encode(second);
    if (b == null || a.length() + b.length() + 3 > maxLength) {
      return encodePairWithLibrary(first, second);
    }
    return withTemplate(a, b, first, second);
  }

  /**
   * {@link #encode} through the Hugging Face library alone, whatever the text: the reference that
   * the Java path for common characters is tested against.
   */
  public Encoded encodeWithLibrary(String text) {
    Encoding encoding = tokenizer.encode(text, true, false);
    return gluedToMasks(toEncoded(encoding, text, text), encoding.getWordIds(), text, text);
  }

  /** {@link #encodePair} through the Hugging Face library alone. */
  public Encoded encodePairWithLibrary(String first, String second) {
    Encoding encoding = tokenizer.encode(first, second, true, false);
    return gluedToMasks(toEncoded(encoding, first, second), encoding.getWordIds(), first, second);
  }

  /**
   * {@code [CLS] a [SEP]} or {@code [CLS] a [SEP] b [SEP]} around the Java path's sequences, as the
   * file's template puts them (special tokens have no word and no offsets), then the glued-mask
   * rule.
   */
  private Encoded withTemplate(
      CommonTextEncoder.Sequence a, CommonTextEncoder.Sequence b, String first, String second) {
    int n = a.length() + 2 + (b == null ? 0 : b.length() + 1);
    int[] ids = new int[n];
    int[] types = new int[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    long[] words = new long[n];
    int at = special(SpecialTokens.CLS_ID, 0, 0, ids, types, starts, ends, words);
    at = sequence(a, 0, at, ids, types, starts, ends, words);
    at = special(SpecialTokens.SEP_ID, 0, at, ids, types, starts, ends, words);
    if (b != null) {
      at = sequence(b, 1, at, ids, types, starts, ends, words);
      special(SpecialTokens.SEP_ID, 1, at, ids, types, starts, ends, words);
    }
    int[] attention = new int[n];
    Arrays.fill(attention, 1);
    return gluedToMasks(new Encoded(ids, types, attention, starts, ends), words, first, second);
  }

  private static int special(
      int id, int type, int at, int[] ids, int[] types, int[] starts, int[] ends, long[] words) {
    ids[at] = id;
    types[at] = type;
    starts[at] = -1;
    ends[at] = -1;
    words[at] = -1;
    return at + 1;
  }

  private static int sequence(
      CommonTextEncoder.Sequence sequence,
      int type,
      int at,
      int[] ids,
      int[] types,
      int[] starts,
      int[] ends,
      long[] words) {
    int n = sequence.length();
    System.arraycopy(sequence.ids(), 0, ids, at, n);
    Arrays.fill(types, at, at + n, type);
    System.arraycopy(sequence.starts(), 0, starts, at, n);
    System.arraycopy(sequence.ends(), 0, ends, at, n);
    for (int i = 0; i < n; i++) {
      words[at + i] = sequence.words()[i];
    }
    return at + n;
  }

  /**
   * Counts words, tokens and {@code [UNK]} tokens over some texts (encoded in one batch, without
   * special tokens).
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

  /**
   * Ids back to text, special tokens dropped; the text is in decomposed jamo, apply NFC to show it.
   */
  public String decode(int[] ids) {
    return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
  }

  public int vocabSize() {
    return tokens.length;
  }

  /**
   * The token with this id, as stored in the vocabulary (jamo, with {@code ##} on continuations).
   */
  public String token(int id) {
    return tokens[id];
  }

  /** The id of a vocabulary token, or {@link SpecialTokens#UNK_ID} when there is no such token. */
  public int id(String token) {
    return ids.getOrDefault(token, SpecialTokens.UNK_ID);
  }

  /**
   * Whether the token with this id is a {@code ##} continuation piece (it can only follow another
   * piece).
   */
  public boolean isContinuation(int id) {
    return continuation[id];
  }

  /**
   * The text a token adds to a word: without the {@code ##} prefix, still decomposed, so that
   * appending it to the text before and composing (NFC) merges a jamo piece into the syllable it
   * completes.
   */
  public static String pieceText(String token) {
    return token.startsWith(SpecialTokens.CONTINUATION)
        ? token.substring(SpecialTokens.CONTINUATION.length())
        : token;
  }

  /**
   * A token for people: without the {@code ##} continuation prefix, its jamo composed back (NFC),
   * and the jamo that form no syllable (a final consonant alone, as in {@code ##ᆫ}) shown as the
   * compatibility jamo people type (ㄴ).
   */
  public static String display(String token) {
    return HangulJamo.toCompatibility(Normalizer.normalize(pieceText(token), Normalizer.Form.NFC));
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /**
   * Re-pieces every word glued to the end of a {@code [MASK]} as WordPiece continues a word: greedy
   * longest match over {@code ##} pieces, the whole word {@code [UNK]} when some part matches
   * nothing (WordPiece's own rule). Punctuation and CJK ideographs stay as they are: they are words
   * of their own in any text.
   */
  private Encoded gluedToMasks(Encoded encoded, long[] words, String first, String second) {
    int n = encoded.length();
    int[] ids = encoded.ids();
    int[] types = encoded.typeIds();
    IntList outIds = new IntList(n);
    IntList outTypes = new IntList(n);
    IntList outStarts = new IntList(n);
    IntList outEnds = new IntList(n);
    boolean changed = false;
    for (int i = 0; i < n; i++) {
      outIds.add(ids[i]);
      outTypes.add(types[i]);
      outStarts.add(encoded.starts()[i]);
      outEnds.add(encoded.ends()[i]);
      int next = i + 1;
      String text = types[i] == 0 ? first : second;
      if (ids[i] != SpecialTokens.MASK_ID || next >= n || !startsGluedWord(encoded, next, text)) {
        continue;
      }
      int end = next;
      while (end < n
          && words[end] == words[next]
          && types[end] == types[next]
          && !isStructural(ids[end])) {
        end++;
      }
      int wordStart = encoded.starts()[next];
      String original = text.substring(wordStart, encoded.ends()[end - 1]);
      if (original
          .codePoints()
          .anyMatch(c -> c == 0 || c == 0xFFFD || BertCharacters.isControl(c))) {
        continue; // characters the normalizer drops: leave this rare word as the library cut it
      }
      // the word as the normalizer leaves it: a word has no white space, so that is its NFD
      String word = Normalizer.normalize(original, Normalizer.Form.NFD);
      IntList pieceIds = new IntList(4);
      IntList pieceStarts = new IntList(4);
      IntList pieceEnds = new IntList(4);
      if (!wordPiece.match(word, true, pieceIds, pieceStarts, pieceEnds)) {
        outIds.add(SpecialTokens.UNK_ID);
        outTypes.add(types[next]);
        outStarts.add(wordStart);
        outEnds.add(encoded.ends()[end - 1]);
      } else {
        // NFD only splits characters, so every piece boundary falls between characters of the
        // original word
        int[][] source = sourceSpansOfNfd(original);
        for (int p = 0; p < pieceIds.size(); p++) {
          outIds.add(pieceIds.get(p));
          outTypes.add(types[next]);
          outStarts.add(wordStart + source[0][pieceStarts.get(p)]);
          outEnds.add(wordStart + source[1][pieceEnds.get(p) - 1]);
        }
      }
      changed = true;
      i = end - 1;
    }
    if (!changed) {
      return encoded;
    }
    int[] attention = new int[outIds.size()];
    Arrays.fill(attention, 1);
    return new Encoded(
        outIds.toArray(), outTypes.toArray(), attention, outStarts.toArray(), outEnds.toArray());
  }

  /**
   * For each char of NFD(text), where the character of {@code text} it came from starts ([0]) and
   * ends ([1]).
   */
  private static int[][] sourceSpansOfNfd(String text) {
    IntList starts = new IntList(text.length() * 3);
    IntList ends = new IntList(text.length() * 3);
    for (int i = 0; i < text.length(); ) {
      int next = text.offsetByCodePoints(i, 1);
      int decomposed = Normalizer.normalize(text.substring(i, next), Normalizer.Form.NFD).length();
      for (int k = 0; k < decomposed; k++) {
        starts.add(i);
        ends.add(next);
      }
      i = next;
    }
    return new int[][] {starts.toArray(), ends.toArray()};
  }

  /**
   * Whether the token at {@code at} is a word start written right after the token before it (no
   * space between).
   */
  private boolean startsGluedWord(Encoded encoded, int at, String text) {
    int id = encoded.ids()[at];
    int start = encoded.starts()[at];
    if (isStructural(id) || continuation[id] || start < 0 || start != encoded.ends()[at - 1]) {
      return false;
    }
    return !BertCharacters.standsAlone(text.codePointAt(start));
  }

  /** A special token other than {@code [UNK]}, which stands for a word of the text. */
  private static boolean isStructural(int id) {
    return id < SpecialTokens.ALL.size() && id != SpecialTokens.UNK_ID;
  }

  /**
   * The library's encoding as an {@link Encoded}. Its offsets count code points; Java strings count
   * UTF-16 units, so past a character outside the Basic Multilingual Plane (an emoji, a rare Hanja)
   * they are converted.
   */
  private static Encoded toEncoded(Encoding encoding, String first, String second) {
    CharSpan[] spans = encoding.getCharTokenSpans();
    long[] types = encoding.getTypeIds();
    int[] starts = new int[spans.length];
    int[] ends = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      String text = types[i] == 0 ? first : second;
      starts[i] = spans[i] == null ? -1 : utf16Index(text, spans[i].getStart());
      ends[i] = spans[i] == null ? -1 : utf16Index(text, spans[i].getEnd());
    }
    return new Encoded(
        toInts(encoding.getIds()),
        toInts(encoding.getTypeIds()),
        toInts(encoding.getAttentionMask()),
        starts,
        ends);
  }

  private static int utf16Index(String text, int codePoints) {
    return text.length() == text.codePointCount(0, text.length())
        ? codePoints
        : text.offsetByCodePoints(0, codePoints);
  }

  private static int[] toInts(long[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }
}
