package org.minibert.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One trainer per run folder: the lock file, across processes and within one. */
class RunFolderLockTest {
  @TempDir Path tmp;

  /** Holds the lock of the folder in args[0] until its standard input closes. */
  public static void main(String[] args) throws IOException {
    try (RunFolder.Lock lock = RunFolder.lock(Path.of(args[0]))) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the test to let go
      }
    }
  }

  @Test
  void aSecondTrainerProcessIsRefusedWhileTheFirstHoldsTheFolder() throws Exception {
    Path run = tmp.resolve("run");
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RunFolderLockTest.class.getName(),
                run.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> RunFolder.lock(run))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "run folder "
                  + run
                  + " is in use by another trainer (process "
                  + holder.pid()
                  + "): wait for it to finish, or choose another --out");
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // the holder is gone: the folder can be taken again
    try (RunFolder.Lock again = RunFolder.lock(run)) {
      assertThat(run.resolve(RunFolder.LOCK)).hasContent(ProcessHandle.current().pid() + "\n");
    }
  }

  @Test
  void withinOneProcessTheSecondLockIsRefusedUntilTheFirstIsClosed() throws IOException {
    Path run = tmp.resolve("run");
    try (RunFolder.Lock first = RunFolder.lock(run)) {
      assertThatThrownBy(() -> RunFolder.lock(run))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by another trainer");
    }
    RunFolder.lock(run).close();
  }

  @Test
  void theLockFileNeitherCountsAsContentNorIsClearedByAResume() throws IOException {
    Path run = tmp.resolve("run");
    try (RunFolder.Lock lock = RunFolder.lock(run)) {
      RunFolder.prepareNew(run, false); // only the lock: an empty folder
      RunFolder.create(run);
      Files.writeString(run.resolve("metrics.jsonl"), "{}\n");
      RunFolder.prepareNew(run, true); // a start that crashed before its first checkpoint
      try (var left = Files.list(run)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly(RunFolder.LOCK);
      }
      // still held by this trainer
      assertThatThrownBy(() -> RunFolder.lock(run)).isInstanceOf(IllegalStateException.class);
    }
  }
}
