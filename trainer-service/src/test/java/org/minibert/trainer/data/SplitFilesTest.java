package org.minibert.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndMapsDocumentsSentencesAndTokens() throws IOException {
    SplitFiles files = new SplitFiles(dir.resolve("train"));
    try (SplitWriter writer = new SplitWriter(files)) {
      writer.addDocument(List.of(new int[] {10, 11, 12}, new int[] {}, new int[] {65535}));
      writer.addDocument(List.of(new int[] {}));
      writer.addDocument(List.of(new int[] {7}));
    }
    TokenizedSplit split = TokenizedSplit.open("train", files);

    assertThat(split.documentCount()).isEqualTo(2);
    assertThat(split.sentenceCount()).isEqualTo(3);
    assertThat(split.tokenCount()).isEqualTo(5);
    assertThat(split.sentenceCount(0)).isEqualTo(2);
    assertThat(split.sentenceLength(split.firstSentence(0) + 1)).isEqualTo(1);
    assertThat(split.token(split.sentenceStart(1))).isEqualTo(65535);
    assertThat(split.token(split.sentenceStart(split.firstSentence(1)))).isEqualTo(7);
    assertThat(Files.size(files.tokens())).isEqualTo(10);
  }

  @Test
  void rejectsIdsOutside16Bits() throws IOException {
    try (SplitWriter writer = new SplitWriter(new SplitFiles(dir.resolve("x")))) {
      assertThatThrownBy(() -> writer.addDocument(List.of(new int[] {70000})))
          .hasMessageContaining("does not fit in 16 bits");
    }
  }

  @Test
  void detectsATruncatedTokenFile() throws IOException {
    SplitFiles files = new SplitFiles(dir.resolve("train"));
    try (SplitWriter writer = new SplitWriter(files)) {
      writer.addDocument(List.of(new int[] {10, 11, 12}));
    }
    Files.write(files.tokens(), new byte[] {1, 0});
    assertThatThrownBy(() -> TokenizedSplit.open("train", files))
        .hasMessageContaining("damaged data set split");
  }
}
