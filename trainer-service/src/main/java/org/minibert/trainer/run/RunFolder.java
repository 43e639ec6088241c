package org.minibert.trainer.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileTrees;

/**
 * A run folder that {@code train} made: it holds the marker file {@code .minibert-run}, written
 * when the run starts, and only a folder with the marker is ever cleared by the trainer. A user's
 * own folder passed as {@code --out} by mistake is refused, never deleted.
 */
public final class RunFolder {
  /** Written into a run folder when {@code train} starts the run there. */
  public static final String MARKER = ".minibert-run";

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
    if (!FileTrees.isNonEmptyFolder(runDir)) {
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
    FileTrees.deleteRecursively(runDir); // a start that crashed before its first checkpoint
  }
}
