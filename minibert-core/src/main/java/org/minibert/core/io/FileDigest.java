package org.minibert.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's size and SHA-256, as recorded in {@code dataset.json} and model manifests.
 *
 * @param path the file's path relative to the folder that lists it, with '/' separators
 */
public record FileDigest(String path, String sha256, long size) {

  /** Digests {@code root.resolve(relative)} and records it under {@code relative}. */
  public static FileDigest of(Path root, String relative) throws IOException {
    Path file = root.resolve(relative);
    return new FileDigest(relative, sha256(file), Files.size(file));
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** True when the file at {@code root/path} has this size and checksum. */
  public boolean matches(Path root) throws IOException {
    Path file = root.resolve(path);
    return Files.isRegularFile(file) && Files.size(file) == size && sha256(file).equals(sha256);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
