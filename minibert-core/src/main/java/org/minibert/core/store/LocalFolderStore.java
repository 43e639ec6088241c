package org.minibert.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.minibert.core.io.AtomicFiles;

/**
 * The embedded default store: a folder on disk ({@code ./model-store}), laid out exactly like the
 * bucket, so a folder can be synced to S3 as it is. Every write goes to a temporary file beside the
 * target and is renamed into place, so readers (the inference service polling LATEST) never see a
 * torn file.
 */
public final class LocalFolderStore implements ObjectStore {
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final StoreLimits limits;

  public LocalFolderStore(Path root) {
    this(root, StoreLimits.DEFAULT);
  }

  /**
   * @param limits the size cap and deadline of small reads ({@link #getBytes}); the API call
   *     timeouts do not apply to a folder
   */
  public LocalFolderStore(Path root, StoreLimits limits) {
    this.root = root.toAbsolutePath().normalize();
    this.limits = limits;
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = resolve(key);
    try {
      AtomicFiles.write(target, out -> Files.copy(file, out));
    } catch (IOException e) {
      throw failure("cannot write " + key, e);
    }
  }

  @Override
  public void putBytes(String key, byte[] content) throws IOException {
    Path target = resolve(key);
    try {
      AtomicFiles.write(target, out -> out.write(content));
    } catch (IOException e) {
      throw failure("cannot write " + key, e);
    }
  }

  /**
   * At most {@link StoreLimits#smallObjectMaxBytes()}, read within {@link
   * StoreLimits#smallReadDeadline()} (a folder on a network file system can be slow too); only
   * regular files (a named pipe would block the reader).
   */
  @Override
  public Optional<byte[]> getBytes(String key) throws IOException {
    Path file = resolve(key);
    long max = limits.smallObjectMaxBytes();
    long deadline = System.nanoTime() + limits.smallReadDeadline().toNanos();
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      long size = Files.size(file);
      if (size > max) {
        throw tooLarge(key, size + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          if (out.size() > max) {
            throw tooLarge(key, "more"); // grew while being read
          }
          if (System.nanoTime() - deadline > 0) {
            throw new StoreException(
                uri()
                    + ": "
                    + key
                    + " was not read within "
                    + StoreLimits.describe(limits.smallReadDeadline()));
          }
        }
        return Optional.of(out.toByteArray());
      }
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted between the check and the read
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  private StoreException tooLarge(String key, String size) {
    return new StoreException(
        uri()
            + ": "
            + key
            + " is larger than the "
            + StoreLimits.describeSize(limits.smallObjectMaxBytes())
            + " allowed for it ("
            + size
            + "): not read");
  }

  @Override
  public Optional<Tagged> getTagged(String key) throws IOException {
    return getBytes(key).map(bytes -> new Tagged(bytes, tagOf(bytes)));
  }

  /**
   * Holds a lock on a sidecar file ({@code .tmp-lock-<name>}, skipped by listings) while it
   * compares and renames, so two processes on this machine (or on a file system with working locks)
   * cannot both win; threads of one process queue on a monitor first, as Java file locks are per
   * process.
   */
  @Override
  public boolean putBytesIf(String key, byte[] content, Optional<String> expected)
      throws IOException {
    Path target = resolve(key);
    Path lockFile = target.resolveSibling(Keys.TEMP_PREFIX + "lock-" + target.getFileName());
    synchronized (LOCKS.computeIfAbsent(lockFile, f -> new Object())) {
      try {
        Files.createDirectories(target.getParent());
        try (FileChannel channel =
                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          Optional<String> current = getTagged(key).map(Tagged::tag);
          if (!current.equals(expected)) {
            return false;
          }
          AtomicFiles.write(target, out -> out.write(content));
          return true;
        }
      } catch (IOException e) {
        throw failure("cannot write " + key, e);
      }
    }
  }

  private static String tagOf(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  @Override
  public void download(String key, Path target) throws IOException {
    Path file = resolve(key);
    if (!Files.isRegularFile(file)) {
      throw new StoreException(uri() + ": no such object " + key);
    }
    try {
      AtomicFiles.write(target, out -> Files.copy(file, out));
    } catch (IOException e) {
      throw failure("cannot download " + key + " to " + target, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path file = resolve(key);
    if (!Files.isRegularFile(file)) {
      throw new StoreException(uri() + ": no such object " + key);
    }
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  @Override
  public SortedMap<String, Long> listWithSizes(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    // walk only the deepest folder the prefix names, then filter by the rest of the prefix
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    SortedMap<String, Long> found = new TreeMap<>();
    if (!Files.isDirectory(start)) {
      return found;
    }
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                String key =
                    root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                if (key.startsWith(prefix) && !isBeingWritten(key)) {
                  found.put(key, size(f));
                }
              });
    } catch (IOException | UncheckedIOException e) {
      throw failure(
          "cannot list " + prefix,
          e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      Files.deleteIfExists(resolve(key));
    } catch (IOException e) {
      throw failure("cannot delete " + key, e);
    }
  }

  @Override
  public void ensureExists() throws IOException {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw failure("cannot create the store folder", e);
    }
  }

  @Override
  public String uri() {
    return root.toString();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return uri();
  }

  private Path resolve(String key) {
    return root.resolve(Keys.check(key));
  }

  private static boolean isBeingWritten(String key) {
    return key.startsWith(Keys.TEMP_PREFIX) || key.contains("/" + Keys.TEMP_PREFIX);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StoreException failure(String what, IOException e) {
    if (e instanceof StoreException s) {
      return s;
    }
    String cause;
    if (e instanceof NoSuchFileException) {
      cause = "no such file " + e.getMessage();
    } else if (e instanceof AccessDeniedException) {
      cause = "permission denied on " + e.getMessage();
    } else {
      cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return new StoreException(uri() + ": " + what + ": " + cause, e);
  }
}
