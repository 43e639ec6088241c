package org.minibert.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.minibert.core.io.AtomicFiles;

/**
 * A benchmark's markdown report: what was measured on what (machine, JVM, versions, settings), then
 * the table. Benchmarks print figures; they never assert on time.
 */
public final class BenchReport {
  private BenchReport() {}

  /** The "measured on" block every report starts with. */
  public static String environment() {
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException e) {
      // keep the default
    }
    return String.join(
        "\n",
        "- date: " + Instant.now(),
        "- machine: "
            + cpu
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + ManagementFactory.getOperatingSystemMXBean().getName()
            + " "
            + ManagementFactory.getOperatingSystemMXBean().getArch(),
        "- JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB",
        "- DJL "
            + ai.djl.engine.Engine.getDjlVersion()
            + ", PyTorch "
            + ai.djl.engine.Engine.getInstance().getVersion()
            + ", intra-op threads "
            + System.getProperty("ai.djl.pytorch.num_threads", "all cores"));
  }

  /** Writes {@code title}, the environment, the settings and the table to {@code file}. */
  public static void write(Path file, String title, List<String> settings, String table)
      throws IOException {
    StringBuilder md =
        new StringBuilder("# ").append(title).append("\n\n").append(environment()).append("\n");
    for (String s : settings) {
      md.append("- ").append(s).append('\n');
    }
    md.append('\n').append(table);
    AtomicFiles.writeString(file, md.toString());
  }
}
