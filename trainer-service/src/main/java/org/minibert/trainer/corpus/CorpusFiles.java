package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens corpus files, counting the bytes read for the progress bar and decompressing bzip2. */
final class CorpusFiles {
  private CorpusFiles() {}

  /**
   * The file's bytes, decompressed when its name ends in {@code .bz2} (on up to {@code threads}
   * threads, see {@link Bzip2Input}); {@link CorpusStats#inputBytesRead} grows as the file is read.
   */
  static InputStream open(Path file, CorpusStats stats, int threads) throws IOException {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bz2")) {
      return Bzip2Input.open(file, threads, stats.inputBytesRead);
    }
    return new Bzip2Input.CountingInput(Files.newInputStream(file), stats.inputBytesRead);
  }
}
