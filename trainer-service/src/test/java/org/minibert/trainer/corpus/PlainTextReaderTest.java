package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainTextReaderTest {
  @TempDir Path dir;

  @Test
  void blankLinesSeparateDocumentsOfOneSentencePerLine() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("corpus.txt"),
            "\n\n  첫 문서의 첫 문장이다.  \n둘째 문장이다.\n \n\n셋째 문서가 아니라 둘째 문서이다.\r\n끝.\r\n\n");
    List<Document> documents = new ArrayList<>();

    new PlainTextReader().read(file, documents::add, new CorpusStats());

    assertThat(documents)
        .containsExactly(
            new Document(file + ":3", "", List.of("첫 문서의 첫 문장이다.", "둘째 문장이다.")),
            new Document(file + ":7", "", List.of("셋째 문서가 아니라 둘째 문서이다.", "끝.")));
  }

  @Test
  void theLastDocumentNeedsNoTrailingBlankLine() throws IOException {
    Path file = Files.writeString(dir.resolve("corpus.txt"), "하나.\n\n둘.");
    List<Document> documents = new ArrayList<>();

    new PlainTextReader().read(file, documents::add, new CorpusStats());

    assertThat(documents)
        .extracting(Document::sentences)
        .containsExactly(List.of("하나."), List.of("둘."));
  }
}
