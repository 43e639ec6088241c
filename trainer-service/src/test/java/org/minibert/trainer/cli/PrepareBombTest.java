package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.TrainerCli;

/**
 * A 64 Mi-character line (what a small bzip2 bomb inflates to) fed to {@code prepare} in a JVM with
 * a 96 MiB heap: without the cap, reading the line alone needs 128 MiB; with it, prepare stops at
 * 16 Mi characters with one line.
 */
class PrepareBombTest {
  @Test
  void aHugeLineStopsPrepareWithOneLineInsteadOfExhaustingTheHeap(@TempDir Path tmp)
      throws Exception {
    Path bomb = tmp.resolve("bomb.txt");
    try (BufferedWriter out = Files.newBufferedWriter(bomb, StandardCharsets.UTF_8)) {
      char[] chunk = "가나다라마바사아자차".repeat(1 << 10).toCharArray();
      out.write("첫 문장이다.\n");
      for (long written = 0; written < 64L << 20; written += chunk.length) {
        out.write(chunk);
      }
      out.write("\n");
    }
    Process prepare =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerCli.class.getName(),
                "prepare",
                "--input",
                bomb.toString(),
                "--out",
                tmp.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(prepare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(prepare.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(prepare.exitValue()).as(output).isEqualTo(1);
    assertThat(output)
        .contains(
            "minibert prepare: error: "
                + bomb
                + ":2: the line is longer than 16777216 characters (--max-record-chars)")
        .doesNotContain("OutOfMemoryError");
    assertThat(tmp.resolve("data")).doesNotExist();
  }
}
