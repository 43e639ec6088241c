package org.minibert.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.minibert.core.io.AtomicFiles;

/**
 * Write-then-rename with a unique temporary name beside the target. Unlike {@link AtomicFiles#write} (one fixed
 * {@code .tmp} name) two processes writing the same key at once, say two exporters flipping LATEST, cannot
 * truncate each other's temporary file: each renames its own complete copy and the last rename wins.
 */
final class StagedFiles {
  private StagedFiles() {}

  static void write(Path target, AtomicFiles.Content content) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, Keys.TEMP_PREFIX + target.getFileName() + "-", "");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      AtomicFiles.move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
