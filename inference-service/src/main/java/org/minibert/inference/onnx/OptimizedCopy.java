package org.minibert.inference.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jboss.logging.Logger;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileDigest;

/**
 * The graph ONNX Runtime optimized on this machine, cached beside a version's verified copy, with
 * its SHA-256 recorded beside it ({@code <graph>.sha256}). It is loaded only when its bytes match
 * the record: a copy changed on disk after it was written (by another process, a full disk, a hand)
 * is deleted and rebuilt from the verified original, never trusted blind.
 */
final class OptimizedCopy {
  private static final Logger LOG = Logger.getLogger(OptimizedCopy.class);
  static final String CHECKSUM_SUFFIX = ".sha256";

  private OptimizedCopy() {}

  /**
   * True when {@code optimized} is a regular file whose SHA-256 matches its record; a copy that
   * does not match (or has no record) is deleted, so that the caller rebuilds it.
   */
  static boolean verified(Path optimized) throws IOException {
    if (!Files.isRegularFile(optimized, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Path record = checksumOf(optimized);
    String expected =
        Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)
            ? Files.readString(record, StandardCharsets.US_ASCII).strip()
            : null;
    if (expected != null && expected.equals(FileDigest.sha256(optimized))) {
      return true;
    }
    LOG.warnf(
        "the optimized copy %s %s; rebuilding it from the verified graph",
        optimized, expected == null ? "has no checksum record" : "does not match its checksum");
    delete(optimized);
    return false;
  }

  /** Moves a freshly written copy in place, its checksum record first. */
  static void install(Path partial, Path optimized) throws IOException {
    AtomicFiles.writeString(checksumOf(optimized), FileDigest.sha256(partial) + "\n");
    // renamed so a reader never sees half of it
    Files.move(partial, optimized, StandardCopyOption.ATOMIC_MOVE);
  }

  static void delete(Path optimized) throws IOException {
    Files.deleteIfExists(optimized);
    Files.deleteIfExists(checksumOf(optimized));
  }

  static Path checksumOf(Path optimized) {
    return optimized.resolveSibling(optimized.getFileName() + CHECKSUM_SUFFIX);
  }
}
