package org.minibert.trainer.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads text already in the input format of google-research/bert's {@code
 * create_pretraining_data.py}: one sentence per line and a blank line between documents. Lines are
 * trimmed and taken as they are, without splitting them again, since whoever wrote the file already
 * decided what a sentence is.
 */
public final class PlainTextReader implements DocumentReader {

  @Override
  public void read(Path file, Consumer<Document> sink, CorpusStats stats, int maxRecordChars)
      throws IOException {
    try (RecordLimits.LineReader reader =
        new RecordLimits.LineReader(
            new CountingUtf8Reader(CorpusFiles.open(file, stats, 1), stats),
            file,
            maxRecordChars)) {
      List<String> sentences = new ArrayList<>();
      long lineNumber = 0;
      long documentStart = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        String sentence = line.strip();
        if (sentence.isEmpty()) {
          emit(file, documentStart, sentences, sink);
        } else {
          if (sentences.isEmpty()) {
            documentStart = lineNumber;
          }
          sentences.add(sentence);
        }
      }
      emit(file, documentStart, sentences, sink);
    }
  }

  /** Hands on the sentences gathered so far, if any, as one document and starts the next. */
  private static void emit(
      Path file, long startLine, List<String> sentences, Consumer<Document> sink) {
    if (!sentences.isEmpty()) {
      sink.accept(new Document(Locations.line(file, startLine), "", sentences));
      sentences.clear();
    }
  }
}
