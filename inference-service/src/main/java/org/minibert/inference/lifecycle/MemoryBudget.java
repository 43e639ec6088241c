package org.minibert.inference.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.minibert.core.io.FileDigest;
import org.minibert.core.registry.Manifest;
import org.minibert.inference.store.ServingFiles;

/**
 * Whether a version fits in memory beside the one serving, judged from its manifest before anything
 * is downloaded: its files' size times a factor against the memory available now. A version that
 * does not fit is refused (the old one keeps serving) instead of being loaded into an out-of-memory
 * kill, which a replica set would repeat on every pod.
 */
final class MemoryBudget {
  private static final long MIB = 1 << 20;

  private final double factor;
  private final LongSupplier available;

  /**
   * @param factor how many times its files' size a version needs; 0 or less: no check
   * @param available the bytes available now ({@link #availableBytes()} in the service)
   */
  MemoryBudget(double factor, LongSupplier available) {
    this.factor = factor;
    this.available = available;
  }

  /** Why the version cannot be loaded now, or empty when it fits. */
  Optional<String> refusal(Manifest manifest) {
    if (factor <= 0) {
      return Optional.empty();
    }
    Predicate<String> loaded = ServingFiles.of(manifest);
    long files =
        manifest.files().stream()
            .filter(f -> loaded.test(f.path()))
            .mapToLong(FileDigest::size)
            .sum();
    long needed = (long) Math.ceil(files * factor);
    long free = available.getAsLong();
    if (needed <= free) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "version %s needs about %.0f MiB of memory (%.1f MiB of files x %s,"
                + " minibert.reload.memory-factor) but %d MiB are available; not loaded",
            manifest.version(), (double) needed / MIB, (double) files / MIB, factor, free / MIB));
  }

  /**
   * The memory this process can still take: the container's limit minus what it uses (cgroup v2,
   * then v1), at most what the machine has available ({@code MemAvailable}); {@link Long#MAX_VALUE}
   * when none of these can be read.
   */
  static long availableBytes() {
    long machine = meminfo("MemAvailable:");
    long container = Long.MAX_VALUE;
    long limit = number(Path.of("/sys/fs/cgroup/memory.max"));
    if (limit > 0) {
      long used = number(Path.of("/sys/fs/cgroup/memory.current"));
      long reclaimable = stat(Path.of("/sys/fs/cgroup/memory.stat"), "inactive_file");
      container = limit - Math.max(0, used - Math.max(0, reclaimable));
    } else {
      long v1 = number(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
      if (v1 > 0 && v1 < (1L << 60)) {
        long used = number(Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
        long reclaimable =
            stat(Path.of("/sys/fs/cgroup/memory/memory.stat"), "total_inactive_file");
        container = v1 - Math.max(0, used - Math.max(0, reclaimable));
      }
    }
    return Math.min(machine > 0 ? machine : Long.MAX_VALUE, container);
  }

  /** A file holding one number ("max" and unreadable files: -1). */
  private static long number(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException | SecurityException e) {
      return -1;
    }
  }

  private static long stat(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key + " ")) {
          return Long.parseLong(line.substring(key.length() + 1).strip());
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      // unknown: nothing reclaimable
    }
    return 0;
  }

  private static long meminfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      // not Linux
    }
    return -1;
  }
}
