package org.minibert.trainer.data;

import java.nio.file.Path;

/**
 * The files of one split ({@code train/} or {@code val/}) of a prepared data set.
 *
 * <pre>
 *   tokens.u16            every token id of every sentence, uint16 little-endian, documents back to back
 *   sentence_offsets.i64  int64 little-endian: sentence s spans tokens [off[s], off[s+1])
 *   document_offsets.i64  int64 little-endian: document d spans sentences [off[d], off[d+1])
 * </pre>
 *
 * Sentences of a document are contiguous, so any run of sentences is one contiguous token range.
 */
public record SplitFiles(Path dir) {
  public static final String TOKENS = "tokens.u16";
  public static final String SENTENCE_OFFSETS = "sentence_offsets.i64";
  public static final String DOCUMENT_OFFSETS = "document_offsets.i64";

  public Path tokens() {
    return dir.resolve(TOKENS);
  }

  public Path sentenceOffsets() {
    return dir.resolve(SENTENCE_OFFSETS);
  }

  public Path documentOffsets() {
    return dir.resolve(DOCUMENT_OFFSETS);
  }
}
