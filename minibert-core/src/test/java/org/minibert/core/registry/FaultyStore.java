package org.minibert.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;

/**
 * A store that fails or corrupts on cue, to see what a publisher leaves behind when things go
 * wrong.
 */
final class FaultyStore implements ObjectStore {
  private final ObjectStore delegate;
  private int putsBeforeFailure = Integer.MAX_VALUE;
  private String corruptedSuffix;

  private int callsBeforeKill = Integer.MAX_VALUE;
  private final java.util.List<String> calls = new java.util.ArrayList<>();
  private String hookedSuffix;
  private IoAction hook;

  /** Something that runs against the store in the middle of another operation. */
  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }

  FaultyStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  /** Every file upload after the first {@code n} fails, as a dropped connection would. */
  FaultyStore failAfterPuts(int n) {
    putsBeforeFailure = n;
    return this;
  }

  /**
   * The process dies before its {@code n+1}-th store call: that call and every later one fail, so
   * nothing after it reaches the store (no clean-up either), as when a publisher is killed.
   */
  FaultyStore killAfterCalls(int n) {
    callsBeforeKill = n;
    return this;
  }

  /** Every store call so far, as "operation key". */
  java.util.List<String> calls() {
    return calls;
  }

  private void call(String operation, String key) throws StoreException {
    if (calls.size() >= callsBeforeKill) {
      throw new StoreException(uri() + ": killed before " + operation + " " + key);
    }
    calls.add(operation + " " + key);
  }

  /**
   * The first read of a key ending with {@code suffix} returns what it read, and then, before the
   * caller can act on it, {@code action} runs (another publisher, say): a race made repeatable.
   */
  FaultyStore afterFirstRead(String suffix, IoAction action) {
    hookedSuffix = suffix;
    hook = action;
    return this;
  }

  private void afterRead(String key) throws IOException {
    if (hook != null && key.endsWith(hookedSuffix)) {
      IoAction once = hook;
      hook = null;
      once.run();
    }
  }

  /** Files whose key ends with {@code suffix} are stored with one byte flipped (same size). */
  FaultyStore corruptOnPut(String suffix) {
    corruptedSuffix = suffix;
    return this;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    call("put", key);
    if (putsBeforeFailure-- <= 0) {
      throw new StoreException(uri() + ": upload " + key + " failed: connection reset");
    }
    if (corruptedSuffix != null && key.endsWith(corruptedSuffix)) {
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 1;
      delegate.putBytes(key, bytes);
    } else {
      delegate.put(key, file);
    }
  }

  @Override
  public void putBytes(String key, byte[] content) throws IOException {
    call("putBytes", key);
    delegate.putBytes(key, content);
  }

  @Override
  public Optional<byte[]> getBytes(String key) throws IOException {
    call("getBytes", key);
    Optional<byte[]> read = delegate.getBytes(key);
    afterRead(key);
    return read;
  }

  @Override
  public Optional<Tagged> getTagged(String key) throws IOException {
    call("getTagged", key);
    Optional<Tagged> read = delegate.getTagged(key);
    afterRead(key);
    return read;
  }

  @Override
  public boolean putBytesIf(String key, byte[] content, Optional<String> expected)
      throws IOException {
    call("putBytesIf", key);
    return delegate.putBytesIf(key, content, expected);
  }

  @Override
  public void download(String key, Path target) throws IOException {
    call("download", key);
    delegate.download(key, target);
  }

  @Override
  public InputStream open(String key) throws IOException {
    call("open", key);
    return delegate.open(key);
  }

  @Override
  public SortedMap<String, Long> listWithSizes(String prefix) throws IOException {
    call("list", prefix);
    return delegate.listWithSizes(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    call("delete", key);
    delegate.delete(key);
  }

  @Override
  public void ensureExists() throws IOException {
    call("ensureExists", "");
    delegate.ensureExists();
  }

  @Override
  public String uri() {
    return delegate.uri();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
