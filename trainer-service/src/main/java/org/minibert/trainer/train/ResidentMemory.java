package org.minibert.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory, as Linux counts it ({@code /proc/self/status}): what a run
 * reports at its end, and what the benchmarks record. The JVM's own figures miss the native memory
 * of PyTorch and ONNX Runtime.
 */
public final class ResidentMemory {
  private ResidentMemory() {}

  /** Peak resident memory in MiB (VmHWM), or -1 where /proc is not there. */
  public static double peakMiB() {
    return procStatusKiB("VmHWM:") / 1024.0;
  }

  /** Current resident memory in MiB (VmRSS), or -1 where /proc is not there. */
  public static double currentMiB() {
    return procStatusKiB("VmRSS:") / 1024.0;
  }

  private static long procStatusKiB(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
