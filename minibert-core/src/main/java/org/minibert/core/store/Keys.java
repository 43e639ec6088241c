package org.minibert.core.store;

import org.minibert.core.io.AtomicFiles;

/**
 * The one rule for keys, shared by every store so that a key accepted by one is accepted by all:
 * '/'-separated segments, none empty, "." or "..", no backslash and no leading '/'. A local folder
 * store must never be led outside its root by a key, and an S3 key with "//" or ".." would not map
 * back onto a folder.
 */
final class Keys {
  /**
   * Files a {@link LocalFolderStore} is still writing start with this; keys may not, so they never
   * collide.
   */
  static final String TEMP_PREFIX = AtomicFiles.TEMP_PREFIX;

  private Keys() {}

  /** Returns {@code key} when it is valid, or throws naming the problem. */
  static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("empty object key");
    }
    if (key.startsWith("/")) {
      throw new IllegalArgumentException(
          "object key '" + key + "' is absolute: keys are relative to the store root");
    }
    if (key.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "object key '" + key + "' contains a backslash: use '/' between segments");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "object key '" + key + "' has an empty, '.' or '..' segment");
      }
      if (segment.startsWith(TEMP_PREFIX)) {
        throw new IllegalArgumentException(
            "object key '"
                + key
                + "' has a segment starting with "
                + TEMP_PREFIX
                + " (reserved for files being written)");
      }
      if (segment.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("object key '" + key + "' contains a control character");
      }
    }
    return key;
  }

  /** A listing prefix: empty (everything), a folder ending with '/', or a key's beginning. */
  static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    check(body);
    return prefix;
  }
}
