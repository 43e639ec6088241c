package org.minibert.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Forces written data to the disk, so that a power cut after a rename cannot leave the new name on
 * an empty or torn file: a file is synced before it is renamed into place, and its folder after, so
 * the rename itself survives.
 */
public final class Fsync {
  private Fsync() {}

  /** Syncs a file's content and size. */
  public static void file(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Syncs a folder's entries (names created, renamed or deleted in it). Where the platform cannot
   * open a folder for syncing (Windows), this does nothing: there the file system orders renames.
   */
  public static void folder(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (isWindows()) {
        return;
      }
      throw e;
    }
  }

  /** Syncs every file of a folder tree, then its folders (deepest first). */
  public static void tree(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (Files.isDirectory(p)) {
        folder(p);
      } else {
        file(p);
      }
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
  }
}
