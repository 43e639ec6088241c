package org.minibert.trainer.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileTrees;

/**
 * A run folder that {@code train} made: it holds the marker file {@code .minibert-run}, written
 * when the run starts, and only a folder with the marker is ever cleared by the trainer. A user's
 * own folder passed as {@code --out} by mistake is refused, never deleted.
 *
 * <p>A trainer holds {@link #lock} on the folder while it prepares and trains it, so a second
 * {@code train} on the same folder (a resubmitted Job, a typo) refuses at once instead of deleting
 * the first one's checkpoints.
 */
public final class RunFolder {
  /** Written into a run folder when {@code train} starts the run there. */
  public static final String MARKER = ".minibert-run";

  /** Locked (FileChannel#tryLock) by the trainer that writes the folder; holds its process id. */
  public static final String LOCK = ".minibert-run.lock";

  /** The folder's lock, held until {@link #close()}. */
  public static final class Lock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Lock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() throws IOException {
      try (channel) {
        lock.release();
      }
    }
  }

  /**
   * Creates the folder if needed and locks it for this trainer.
   *
   * @throws IllegalStateException when another trainer (process, or thread of this one) holds it
   */
  public static Lock lock(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Path file = runDir.resolve(LOCK);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      throw new IllegalStateException(
          "run folder "
              + runDir
              + " is in use by another trainer"
              + (holder.isEmpty() ? "" : " (process " + holder + ")")
              + ": wait for it to finish, or choose another --out");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    return new Lock(channel, lock);
  }

  private RunFolder() {}

  /** Creates the folder (if needed) and marks it as a run folder. */
  public static void create(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    AtomicFiles.writeString(runDir.resolve(MARKER), "a Mini-BERT training run\n");
  }

  /** True when {@code train} started a run in this folder. */
  public static boolean isRun(Path runDir) {
    return Files.isRegularFile(runDir.resolve(MARKER));
  }

  /**
   * Makes {@code runDir} ready for a new run: absent or empty is fine; with {@code resume}, a run
   * folder that crashed before its first checkpoint is cleared; anything else is refused.
   *
   * @throws IllegalArgumentException for a folder that is not empty and not a run of the trainer's
   */
  public static void prepareNew(Path runDir, boolean resume) throws IOException {
    if (!hasContent(runDir)) {
      return;
    }
    if (!resume) {
      throw new IllegalArgumentException(
          "run folder "
              + runDir
              + " is not empty: pass --resume to continue it, or choose another --out");
    }
    if (!isRun(runDir)) {
      throw new IllegalArgumentException(
          "--out "
              + runDir
              + " is not empty and is no training run (no "
              + MARKER
              + ", no "
              + Checkpoint.POINTER
              + "): nothing deleted; choose a new or empty folder");
    }
    // a start that crashed before its first checkpoint: cleared, but for the lock this trainer
    // holds
    try (Stream<Path> entries = Files.list(runDir)) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals(LOCK)) {
          FileTrees.deleteRecursively(entry);
        }
      }
    }
  }

  /** A folder with something in it besides the lock file. */
  private static boolean hasContent(Path runDir) throws IOException {
    if (!FileTrees.isNonEmptyFolder(runDir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(runDir)) {
      return entries.anyMatch(e -> !e.getFileName().toString().equals(LOCK));
    }
  }
}
