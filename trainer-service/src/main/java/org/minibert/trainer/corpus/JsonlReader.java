package org.minibert.trainer.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.minibert.core.io.Json;

/**
 * Reads JSON Lines, the usual shape of scraped or exported corpora: one object per line, such as
 * {@code {"id": "42", "title": "서울", "text": "서울은 ...\n..."}}. The {@code text} is required; its
 * lines are paragraphs, split into sentences by {@link SentenceSplitter}. The title is {@code
 * title}, else {@code id}, else empty. Blank lines are skipped; any other line that is not such an
 * object stops the run with its line number, because a half-read corpus would go unnoticed.
 */
public final class JsonlReader implements DocumentReader {
  private final SentenceSplitter splitter = new SentenceSplitter();

  @Override
  public void read(Path file, Consumer<Document> sink, CorpusStats stats, int maxRecordChars)
      throws IOException {
    DocumentReader.readResolvingEach(this, file, sink, stats, maxRecordChars);
  }

  /** Parses each line on the calling thread and hands it on with its sentences still to split. */
  @Override
  public void readPending(
      Path file, Consumer<PendingDocument> sink, CorpusStats stats, int maxRecordChars, int threads)
      throws IOException {
    try (RecordLimits.LineReader reader =
        new RecordLimits.LineReader(
            new CountingUtf8Reader(CorpusFiles.open(file, stats, 1), stats),
            file,
            maxRecordChars)) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String where = Locations.line(file, lineNumber);
        JsonNode record = parse(line, where);
        String text = record.get("text").textValue();
        String title = title(record);
        sink.accept(
            () -> {
              List<String> sentences = splitter.splitParagraphs(text);
              return sentences.isEmpty() ? null : new Document(where, title, sentences);
            });
      }
    }
  }

  private JsonNode parse(String line, String where) {
    JsonNode record;
    try {
      record = Json.strict().readTree(line);
    } catch (JsonProcessingException e) {
      throw new CorpusException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!record.isObject() || !record.path("text").isTextual()) {
      throw new CorpusException(where + ": expected a JSON object with a string \"text\" field");
    }
    return record;
  }

  private static String title(JsonNode record) {
    for (String field : List.of("title", "id")) {
      JsonNode value = record.path(field);
      if (value.isTextual() || value.isNumber()) {
        return value.asText();
      }
    }
    return "";
  }
}
