package org.minibert.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;

/**
 * The Java path for common characters encodes every text as the Hugging Face library does: ids,
 * type ids, offsets and the glued-mask rule, on every line of the bundled corpus and on random
 * texts, single and in pairs.
 */
class CommonTextEncoderTest {
  private static final Path CORPUS = Path.of("../samples/kowiki-sample.xml");

  @TempDir static Path dir;
  static BertTokenizer tokenizer;
  static CommonTextEncoder encoder;
  static List<String> lines;

  /**
   * A vocabulary of the corpus's characters (as word starts and as continuations) and its most
   * frequent jamo strings of 2 to 6, so that WordPiece's longest match has real choices.
   */
  @BeforeAll
  static void load() throws IOException {
    lines = Files.readAllLines(CORPUS).stream().filter(l -> !l.isBlank()).toList();
    Map<String, Integer> counts = new HashMap<>();
    LinkedHashSet<String> pieces = new LinkedHashSet<>();
    for (String line : lines) {
      for (String word : Normalizer.normalize(line, Normalizer.Form.NFD).split("[\\s\\p{P}]+")) {
        word.codePoints()
            .forEach(
                c -> {
                  pieces.add(Character.toString(c));
                  pieces.add(SpecialTokens.CONTINUATION + Character.toString(c));
                });
        for (int from = 0; from < word.length(); from++) {
          for (int to = from + 2; to <= Math.min(word.length(), from + 6); to++) {
            String piece = (from == 0 ? "" : SpecialTokens.CONTINUATION) + word.substring(from, to);
            counts.merge(piece, 1, Integer::sum);
          }
        }
      }
    }
    counts.entrySet().stream()
        .filter(e -> !e.getKey().contains("\uFFFD"))
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(3000)
        .forEach(e -> pieces.add(e.getKey()));
    pieces.removeIf(p -> SpecialTokens.ALL.contains(p) || p.isBlank() || p.equals("##"));
    tokenizer = TinyTokenizer.write(dir, new ArrayList<>(pieces));
    String[] tokens = new String[tokenizer.vocabSize()];
    Map<String, Integer> ids = new HashMap<>();
    for (int id = 0; id < tokens.length; id++) {
      tokens[id] = tokenizer.token(id);
      ids.put(tokens[id], id);
    }
    encoder = new CommonTextEncoder(new WordPieceMatcher(tokens, ids, 100));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void theProjectsTokenizerFileHasThePipelineTheJavaPathWritesOut() throws IOException {
    JsonNode root = Json.MAPPER.readTree(dir.resolve("tokenizer.json").toFile());
    assertThat(TokenizerJson.hasProjectPipeline(root)).isTrue();
    ObjectNode lowercasing = root.deepCopy();
    ((ObjectNode) lowercasing.path("normalizer").path("normalizers").path(0))
        .put("lowercase", true);
    assertThat(TokenizerJson.hasProjectPipeline(lowercasing)).isFalse();
    ObjectNode otherPrefix = root.deepCopy();
    ((ObjectNode) otherPrefix.path("model")).put("continuing_subword_prefix", "@@");
    assertThat(TokenizerJson.hasProjectPipeline(otherPrefix)).isFalse();
    ObjectNode normalizedMask = root.deepCopy();
    ((ObjectNode) normalizedMask.path("added_tokens").path(SpecialTokens.MASK_ID))
        .put("normalized", true);
    assertThat(TokenizerJson.hasProjectPipeline(normalizedMask)).isFalse();
  }

  @Test
  void everyLineOfTheCorpusEncodesAsTheLibraryEncodesIt() {
    int common = 0;
    for (String line : lines) {
      if (encoder.encode(line) != null) {
        common++;
      }
      assertSame(line);
    }
    // most lines take the Java path (the rest has characters such as U+00A0 or accented letters)
    assertThat(common).isGreaterThan(lines.size() / 2);
    for (int i = 0; i + 1 < lines.size(); i += 7) {
      assertSamePair(lines.get(i), lines.get(i + 1));
    }
  }

  @Test
  void masksGluedToWordsAndWordsOverTheLengthLimitEncodeAsTheLibraryWith() {
    String syllables = "가나다라마바사아자차카타파하".repeat(3); // 42 syllables: over 100 jamo
    for (String text :
        List.of(
            "대한민국의 수도는 [MASK]이다.",
            "[MASK]",
            "[MASK][MASK]은",
            "서울[MASK]",
            "a[MASK]b [SEP]x[CLS] [PAD][UNK]",
            "[MAS K] [mask] [MASK",
            "",
            " \t\n\r ",
            syllables,
            syllables + "[MASK]" + syllables,
            "漢字語[MASK]는 『책』…“인용”·가—나",
            "x".repeat(101),
            "x".repeat(100))) {
      assertThat(encoder.encode(text)).as(text).isNotNull();
      assertSame(text);
      assertSamePair(text, "[MASK]" + text);
    }
  }

  @Test
  void aTextWithAnUncommonCharacterGoesToTheLibrary() {
    for (String text :
        List.of("café", "가\u00A0나", "가\u3000나", "😀", "\u000B", "Ⅳ", "ｆｕｌｌ", "\uFFFD", "가\u0301")) {
      assertThat(encoder.encode(text)).as(text).isNull();
    }
  }

  @Test
  void randomTextsOfCommonAndUncommonCharactersEncodeAsTheLibraryEncodesThem() {
    SplittableRandom random = new SplittableRandom(42);
    String corpusText = String.join(" ", lines);
    List<String> parts =
        List.of(
            "[MASK]", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MAS", "[", "]", " ", "  ", "\t", "\n",
            "\r\n", ".", ",", "!", "?", "(", ")", "-", "'", "\"", "·", "…", "「", "」", "《", "》", "“",
            "”", "~", "$", "+", "<", "=", ">", "^", "`", "|", "é", "\u00A0", "😀", "\u000C");
    for (int n = 0; n < 3000; n++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(12);
      for (int p = 0; p < pieces; p++) {
        int kind = random.nextInt(10);
        if (kind < 4) {
          int from = random.nextInt(corpusText.length() - 40);
          text.append(corpusText, from, from + 1 + random.nextInt(30));
        } else if (kind < 6) {
          text.append(parts.get(random.nextInt(parts.size())));
        } else if (kind < 8) {
          text.append((char) (0xAC00 + random.nextInt(0xD7A4 - 0xAC00))); // any syllable
        } else if (kind < 9) {
          text.append((char) (0x4E00 + random.nextInt(0x9FFF - 0x4E00)));
        } else {
          text.append((char) (0x21 + random.nextInt(0x5E)));
        }
      }
      String s = text.toString();
      if (Character.isHighSurrogate(s.charAt(s.length() - 1))) {
        s = s.substring(0, s.length() - 1);
      }
      assertSame(s);
      if (n % 3 == 0) {
        assertSamePair(s, lines.get(random.nextInt(lines.size())));
      }
    }
  }

  private static void assertSame(String text) {
    assertThat(describe(tokenizer.encode(text)))
        .as("%s", text)
        .isEqualTo(describe(tokenizer.encodeWithLibrary(text)));
  }

  private static void assertSamePair(String first, String second) {
    assertThat(describe(tokenizer.encodePair(first, second)))
        .as("%s | %s", first, second)
        .isEqualTo(describe(tokenizer.encodePairWithLibrary(first, second)));
  }

  /** Every array of an encoding, token by token, readable in a failure. */
  private static String describe(Encoded encoded) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < encoded.length(); i++) {
      rows.add(
          tokenizer.token(encoded.ids()[i])
              + "/"
              + encoded.typeIds()[i]
              + "/"
              + encoded.attentionMask()[i]
              + "@"
              + encoded.starts()[i]
              + "-"
              + encoded.ends()[i]);
    }
    return String.join(" ", rows);
  }
}
