package org.minibert.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Write-then-rename: a reader sees either the old file or the complete new one, never a torn one,
 * and a crash leaves at most a temporary file behind.
 *
 * <p>The temporary file is {@code .tmp-<name>-<random>} beside the target: unique, so two processes
 * writing the same file at once (two exporters flipping LATEST) cannot truncate each other's copy,
 * and created like any other file (not with {@code Files.createTempFile}, whose owner-only
 * permissions would survive the rename and lock out a service running as another user).
 *
 * <p>The content is synced to the disk before the rename and the folder after it ({@link Fsync}),
 * so after {@link #write} returns the new file survives a power cut, not only a crash.
 */
public final class AtomicFiles {
  /** Names starting with this are temporary files in the making; listings skip them. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** What writes the content; the stream is closed by {@link #write}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path file, Content content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(TEMP_PREFIX + file.getFileName() + "-" + UUID.randomUUID());
    try {
      try (OutputStream out =
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(out);
      }
      Fsync.file(tmp);
      move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void writeString(Path file, String text) throws IOException {
    write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Renames atomically where the file system can, replacing the target, and syncs the target's
   * folder so the rename is on the disk.
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    Fsync.folder(to.toAbsolutePath().getParent());
  }
}
