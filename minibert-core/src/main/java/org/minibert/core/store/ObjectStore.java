package org.minibert.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A flat key -> bytes store: a local folder or an S3 bucket (AWS, MinIO or any S3-compatible
 * server). Keys are '/'-separated paths relative to the store's root ({@code s3://bucket/prefix} or
 * a folder).
 *
 * <p>Every write of a single key is atomic for readers: they see the old object or the new one,
 * never a part (S3 gives this for free; the folder store writes a temporary file and renames it).
 *
 * <p>Keys are '/'-separated, relative, without empty, "." or ".." segments and without backslashes;
 * every store rejects other keys with an {@link IllegalArgumentException}, so a key that works on
 * one store works on all.
 *
 * <p>Failures are {@link StoreException}s whose message is one line a user can act on (wrong
 * credentials, unreachable endpoint, missing bucket, ...).
 */
public interface ObjectStore extends AutoCloseable {

  /** Uploads a local file to {@code key} (S3: multipart for large files). */
  void put(String key, Path file) throws IOException;

  /** Writes small content (a manifest, a pointer) to {@code key}. */
  void putBytes(String key, byte[] content) throws IOException;

  /** The content of {@code key}, or empty when there is no such key. For small objects. */
  Optional<byte[]> getBytes(String key) throws IOException;

  /**
   * A small object's content with a tag that changes whenever the object is rewritten (S3: its
   * ETag; the folder store: the content's SHA-256), for {@link #putBytesIf}.
   */
  record Tagged(byte[] content, String tag) {}

  /** The content of {@code key} and its tag, or empty when there is no such key. */
  Optional<Tagged> getTagged(String key) throws IOException;

  /**
   * Compare-and-set for pointers (LATEST): writes {@code content} to {@code key} only while the key
   * still holds the object read with tag {@code expected}, or, with {@code expected} empty, while
   * there is no such key. S3 sends {@code If-Match} / {@code If-None-Match}; the folder store
   * compares and renames under a file lock.
   *
   * @return false, having written nothing, when the object changed (or appeared) meanwhile
   */
  boolean putBytesIf(String key, byte[] content, Optional<String> expected) throws IOException;

  /**
   * Downloads {@code key} to {@code target} (written to a temporary name, then renamed).
   *
   * @throws StoreException also when there is no such key
   */
  void download(String key, Path target) throws IOException;

  /**
   * The content of {@code key} as a stream, for large objects whose reader decides how much to read
   * (a model file checked against the size its manifest declares). The caller closes it.
   *
   * @throws StoreException also when there is no such key
   */
  InputStream open(String key) throws IOException;

  /** Every key under {@code prefix} (which ends with '/' to mean a folder), sorted. */
  default List<String> list(String prefix) throws IOException {
    return new ArrayList<>(listWithSizes(prefix).keySet());
  }

  /**
   * Every key under {@code prefix} with its size in bytes, sorted by key. Sizes come with the
   * listing on S3, so a reader can tell a complete upload from a truncated one without a request
   * per object.
   */
  SortedMap<String, Long> listWithSizes(String prefix) throws IOException;

  /** Deletes {@code key}; no error when it is missing. */
  void delete(String key) throws IOException;

  /**
   * Creates the store's root when missing (the bucket on S3, the folder on disk). Writers call it
   * once before publishing; readers don't, so that a mistyped store is reported as empty rather
   * than created.
   */
  void ensureExists() throws IOException;

  /**
   * Where this store points, for messages: {@code s3://bucket/prefix} or an absolute folder path.
   */
  String uri();

  @Override
  void close();
}
