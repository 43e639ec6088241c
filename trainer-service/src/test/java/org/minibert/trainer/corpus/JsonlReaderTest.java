package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {
  @TempDir Path dir;
  private final CorpusStats stats = new CorpusStats();
  private final List<Document> documents = new ArrayList<>();

  @Test
  void readsOneDocumentPerLineSplittingParagraphsAndSentences() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("news.jsonl"),
            """
            {"id": 7, "title": "서울", "text": "서울은 수도이다. 크다.\\n한강이 흐른다."}

            {"id": 8, "text": "제목 없는 글이다."}
            {"text": "   "}
            {"text": "아이디도 없다.", "tags": ["x"]}
            """);

    new JsonlReader().read(file, documents::add, stats);

    assertThat(documents)
        .containsExactly(
            new Document(file + ":1", "서울", List.of("서울은 수도이다.", "크다.", "한강이 흐른다.")),
            new Document(file + ":3", "8", List.of("제목 없는 글이다.")),
            new Document(file + ":5", "", List.of("아이디도 없다.")));
    assertThat(stats.skippedPages).isEqualTo(1);
  }

  @Test
  void aLineThatIsNotJsonStopsWithItsLineNumber() throws IOException {
    Path file =
        Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"좋다.\"}\n{\"text\": \"끊긴\n");

    assertThatThrownBy(() -> new JsonlReader().read(file, documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageStartingWith(file + ":2: not valid JSON: ")
        .hasMessageNotContaining("\n");
    assertThat(documents).hasSize(1);
  }

  @Test
  void aLineWithoutAStringTextStopsWithItsLineNumber() throws IOException {
    for (String line :
        List.of("{\"title\": \"x\"}", "{\"text\": 3}", "[\"text\"]", "{\"text\": \"a\"} {}")) {
      Path file = Files.writeString(dir.resolve("bad.jsonl"), "\n" + line + "\n");

      assertThatThrownBy(() -> new JsonlReader().read(file, documents::add, stats))
          .as(line)
          .isInstanceOf(CorpusException.class)
          .hasMessageStartingWith(file + ":2: ");
    }
  }
}
