package org.minibert.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.BertPreTokenizer;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.core.tokenizer.TokenizationStats;

/**
 * A vocabulary trained here, written as tokenizer.json and run by the Hugging Face library through
 * DJL.
 */
class HuggingFaceRoundTripTest {
  private static final int VOCAB_SIZE = 1000;

  @TempDir static Path dir;
  private static Vocabulary vocabulary;
  private static BertTokenizer tokenizer;

  @BeforeAll
  static void trainAndLoad() throws IOException {
    vocabulary = KoreanSamples.trainerFor(KoreanSamples.training(), VOCAB_SIZE).train();
    TokenizerJsonWriter.write(vocabulary, 128, dir);
    tokenizer = BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void libraryVocabularyIsOurs() {
    assertThat(tokenizer.vocabSize()).isEqualTo(VOCAB_SIZE);
    for (int id = 0; id < VOCAB_SIZE; id++) {
      assertThat(tokenizer.token(id)).isEqualTo(vocabulary.tokens().get(id));
      assertThat(tokenizer.id(vocabulary.tokens().get(id))).isEqualTo(id);
    }
    assertThat(tokenizer.id("no such token")).isEqualTo(SpecialTokens.UNK_ID);
  }

  @Test
  void maskTypedInTextIsTheMaskToken() {
    int before = tokenizer.encodeWords("대한민국의 수도는").length;
    int[] ids = tokenizer.encodeWords("대한민국의 수도는 [MASK]이다");
    assertThat(ids[before]).isEqualTo(SpecialTokens.MASK_ID);
    String after =
        String.join(
            "", Stream.of(tokens(ids)).skip(before + 1).map(BertTokenizer::display).toList());
    assertThat(Normalizer.normalize(after, Normalizer.Form.NFC)).isEqualTo("이다");
    assertThat(tokenizer.encode("[MASK]").ids())
        .containsExactly(SpecialTokens.CLS_ID, SpecialTokens.MASK_ID, SpecialTokens.SEP_ID);
  }

  @Test
  void singleTextIsWrappedInClsAndSep() {
    String text = "오늘 아침에는 비가 왔다.";
    Encoded encoded = tokenizer.encode(text);
    int[] words = tokenizer.encodeWords(text);
    assertThat(encoded.length()).isEqualTo(words.length + 2);
    assertThat(encoded.ids()[0]).isEqualTo(SpecialTokens.CLS_ID);
    assertThat(encoded.ids()[encoded.length() - 1]).isEqualTo(SpecialTokens.SEP_ID);
    assertThat(encoded.typeIds()).containsOnly(0);
    assertThat(encoded.attentionMask()).containsOnly(1);
    assertThat(text.substring(encoded.starts()[1], encoded.ends()[1])).isEqualTo("오늘");
    assertThat(encoded.starts()[0]).isEqualTo(-1);
  }

  @Test
  void pairHasClsASepBSepLayoutAndTypeIds() {
    String first = "우리 가족은 공원으로 간다.";
    String second = "동생은 숙제를 했다.";
    int a = tokenizer.encodeWords(first).length;
    int b = tokenizer.encodeWords(second).length;
    Encoded pair = tokenizer.encodePair(first, second);

    assertThat(pair.length()).isEqualTo(a + b + 3);
    assertThat(pair.ids()[0]).isEqualTo(SpecialTokens.CLS_ID);
    assertThat(pair.ids()[a + 1]).isEqualTo(SpecialTokens.SEP_ID);
    assertThat(pair.ids()[a + b + 2]).isEqualTo(SpecialTokens.SEP_ID);
    for (int i = 0; i < pair.length(); i++) {
      assertThat(pair.typeIds()[i]).as("type id %d", i).isEqualTo(i <= a + 1 ? 0 : 1);
    }
    assertThat(pair.attentionMask()).containsOnly(1);
    // offsets point into the text each token came from
    assertThat(second.substring(pair.starts()[a + 2], pair.ends()[a + 2])).startsWith("동");
  }

  @Test
  void displayedTokensSpellTheWords() {
    String text = "할머니 댁은 시골에 있어서 기차를 타고 간다.";
    List<String> spelled = new ArrayList<>();
    for (String token : tokens(tokenizer.encodeWords(text))) {
      if (token.startsWith(SpecialTokens.CONTINUATION)) {
        spelled.set(spelled.size() - 1, spelled.get(spelled.size() - 1) + token.substring(2));
      } else {
        spelled.add(token);
      }
    }
    assertThat(spelled).isEqualTo(BertPreTokenizer.words(text));
    assertThat(spelled.stream().map(BertTokenizer::display))
        .containsExactly("할머니", "댁은", "시골에", "있어서", "기차를", "타고", "간다", ".");
  }

  @Test
  void decodeGivesBackKoreanText() {
    for (String text : KoreanSamples.unseen()) {
      String decoded = tokenizer.decode(tokenizer.encodeWords(text));
      assertThat(Normalizer.normalize(decoded, Normalizer.Form.NFC)).isEqualTo(text);
    }
  }

  @Test
  void batchEncodingEqualsOneByOne() {
    List<String> texts = KoreanSamples.training().subList(0, 30);
    List<int[]> batch = tokenizer.encodeBatch(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i)).isEqualTo(tokenizer.encodeWords(texts.get(i)));
    }
  }

  @Test
  void unseenKoreanTextHasNoUnknownTokens() {
    TokenizationStats stats = tokenizer.measure(KoreanSamples.unseen());
    assertThat(stats.unkRate()).as(stats.toString()).isLessThan(0.005);
    assertThat(stats.unknownTokens()).as(stats.toString()).isZero();
    assertThat(stats.tokensPerWord()).as(stats.toString()).isBetween(1.0, 6.0);
  }

  @Test
  void truncatesToMaxLengthWhenAsked() throws IOException {
    String longText = String.join(" ", KoreanSamples.training());
    try (BertTokenizer truncating =
        BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON), 32)) {
      Encoded encoded = truncating.encodePair(longText, longText);
      assertThat(encoded.length()).isEqualTo(32);
      assertThat(encoded.ids()[31]).isEqualTo(SpecialTokens.SEP_ID);
    }
  }

  @Test
  void writesTheHuggingFaceFiles() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode root = json.readTree(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON).toFile());
    assertThat(root.at("/normalizer/type").asText()).isEqualTo("Sequence");
    assertThat(root.at("/normalizer/normalizers/0/type").asText()).isEqualTo("BertNormalizer");
    assertThat(root.at("/normalizer/normalizers/0/lowercase").asBoolean()).isFalse();
    assertThat(root.at("/normalizer/normalizers/0/strip_accents").asBoolean()).isFalse();
    assertThat(root.at("/normalizer/normalizers/1/type").asText()).isEqualTo("NFD");
    assertThat(root.at("/model/type").asText()).isEqualTo("WordPiece");
    assertThat(root.at("/model/vocab").size()).isEqualTo(VOCAB_SIZE);
    assertThat(root.at("/added_tokens").size()).isEqualTo(5);
    assertThat(root.at("/added_tokens/4/content").asText()).isEqualTo("[MASK]");

    JsonNode config =
        json.readTree(dir.resolve(TokenizerJsonWriter.TOKENIZER_CONFIG_JSON).toFile());
    assertThat(config.get("tokenizer_class").asText()).isEqualTo("BertTokenizerFast");
    assertThat(config.get("model_max_length").asInt()).isEqualTo(128);
    assertThat(config.get("do_lower_case").asBoolean()).isFalse();

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              TokenizerJsonWriter.TOKENIZER_JSON, TokenizerJsonWriter.TOKENIZER_CONFIG_JSON);
    }
  }

  private static String[] tokens(int[] ids) {
    return Arrays.stream(ids).mapToObj(tokenizer::token).toArray(String[]::new);
  }
}
