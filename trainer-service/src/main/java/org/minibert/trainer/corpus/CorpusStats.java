package org.minibert.trainer.corpus;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the readers saw, for the prepare summary and dataset.json. The counts are kept by the
 * reading thread alone; {@link #inputBytesRead} may also grow on decompressing threads and be read
 * by a progress bar.
 */
public final class CorpusStats {
  /** Bytes of the input files read so far, as stored (compressed bytes for a .bz2 file). */
  public final AtomicLong inputBytesRead = new AtomicLong();

  /** Files read. */
  public long files;

  /** Files in an input folder that were not read because no reader knows their extension. */
  public long skippedFiles;

  /** Documents handed on (with at least one sentence). */
  public long documents;

  /** Pages skipped: redirects, other namespaces, empty after cleaning. */
  public long skippedPages;

  /** Byte sequences that were not valid UTF-8 and were replaced with U+FFFD. */
  public long replacedBytes;

  /**
   * Sentences that held a special-token string such as "[MASK]", broken apart so it reads as plain
   * text.
   */
  public long defusedSentences;
}
