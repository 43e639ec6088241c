package org.minibert.trainer.corpus;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Decompresses a {@code .bz2} file ahead of its reader, on other threads than the reader's.
 *
 * <p>Wikimedia's multistream dumps (and the scale benchmark's) are many bzip2 streams back to back.
 * Every stream starts on a byte boundary with {@code "BZh"}, the block size digit and the block
 * magic {@code 0x314159265359}; the file is scanned once for those starts, cut into segments of at
 * least {@value #SEGMENT_BYTES} compressed bytes, and the segments are decompressed on up to {@code
 * threads} threads, read in file order. A file of one stream is decompressed on one thread of its
 * own, still ahead of the reader. A false start (the ten bytes inside compressed data) cannot pass
 * unnoticed: both pieces would fail bzip2's block checks. With one thread everything happens on the
 * caller's.
 *
 * <p>Memory: at most {@code 2 x threads} (and at most 8) segments are held, each at most 8 MiB
 * compressed and {@value #MAX_SEGMENT_OUTPUT} bytes decompressed (about 1 and 5 MiB in a dump); a
 * segment that inflates to more is decompressed as a stream on the reader's thread instead.
 */
final class Bzip2Input {
  static final int SEGMENT_BYTES = 1 << 20;
  private static final byte[] STREAM_START_TAIL = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
  private static final int CHUNK_BYTES = 1 << 20;

  /**
   * A segment that inflates to more than this is not held whole but decompressed as a stream on the
   * reader's thread (a bzip2 bomb, say).
   */
  static final int MAX_SEGMENT_OUTPUT = 16 << 20;

  /** A file with a segment larger than this (streams far apart) is decompressed as one stream. */
  private static final int MAX_SEGMENT_INPUT = 8 << 20;

  /** Segments decompressed ahead of the reader at most, whatever the threads. */
  private static final int MAX_AHEAD = 8;

  private Bzip2Input() {}

  /**
   * The decompressed bytes of {@code file}; {@code bytesRead} grows with the compressed bytes
   * consumed.
   */
  static InputStream open(Path file, int threads, AtomicLong bytesRead) throws IOException {
    return open(file, threads, bytesRead, SEGMENT_BYTES);
  }

  /** {@link #open(Path, int, AtomicLong)} with segments of at least {@code segmentBytes}. */
  static InputStream open(Path file, int threads, AtomicLong bytesRead, int segmentBytes)
      throws IOException {
    if (threads <= 1) {
      return sequential(file, bytesRead);
    }
    List<Long> starts = streamStarts(file);
    long[] bounds = segments(starts, Files.size(file), segmentBytes);
    long largest = 0;
    for (int i = 0; i + 1 < bounds.length; i++) {
      largest = Math.max(largest, bounds[i + 1] - bounds[i]);
    }
    if (starts.size() < 2 || largest > MAX_SEGMENT_INPUT) {
      return new ChunkStream(new ReadAhead(sequential(file, bytesRead)));
    }
    return new ChunkStream(new ParallelSegments(file, bounds, threads, bytesRead));
  }

  private static InputStream sequential(Path file, AtomicLong bytesRead) throws IOException {
    InputStream raw = new CountingInput(Files.newInputStream(file), bytesRead);
    return new BZip2CompressorInputStream(new BufferedInputStream(raw, 1 << 16), true);
  }

  /** Offsets of the bytes that look like the start of a bzip2 stream, the first at 0. */
  static List<Long> streamStarts(Path file) throws IOException {
    List<Long> starts = new ArrayList<>();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      long base = 0; // file offset of buffer[0]
      int kept = 0;
      while (true) {
        int limit = kept + in.readNBytes(buffer, kept, buffer.length - kept);
        boolean atEnd = limit < buffer.length;
        int lastStart = limit - 10; // a start is 10 bytes long
        for (int i = 0; i <= lastStart; i++) {
          if (buffer[i] == 'B' && isStreamStart(buffer, i)) {
            starts.add(base + i);
          }
        }
        if (atEnd) {
          break;
        }
        int from = Math.max(0, lastStart + 1); // the bytes after it may begin a start
        kept = limit - from;
        System.arraycopy(buffer, from, buffer, 0, kept);
        base += from;
      }
    }
    if (starts.isEmpty() || starts.get(0) != 0) {
      return List.of(); // not a bzip2 file: the sequential decoder reports it
    }
    return starts;
  }

  private static boolean isStreamStart(byte[] b, int i) {
    if (b[i + 1] != 'Z' || b[i + 2] != 'h' || b[i + 3] < '1' || b[i + 3] > '9') {
      return false;
    }
    for (int k = 0; k < STREAM_START_TAIL.length; k++) {
      if (b[i + 4 + k] != STREAM_START_TAIL[k]) {
        return false;
      }
    }
    return true;
  }

  /** Segment boundaries: starts at least SEGMENT_BYTES apart, then the file's end. */
  private static long[] segments(List<Long> starts, long size, int segmentBytes) {
    List<Long> bounds = new ArrayList<>();
    for (long start : starts) {
      if (bounds.isEmpty() || start - bounds.get(bounds.size() - 1) >= segmentBytes) {
        bounds.add(start);
      }
    }
    bounds.add(size);
    return bounds.stream().mapToLong(Long::longValue).toArray();
  }

  /** Where the decompressed chunks come from, in order; null at the end. */
  private interface ChunkSource extends AutoCloseable {
    byte[] next() throws IOException;

    @Override
    void close();
  }

  /** Segments decompressed on a pool, {@code 2 x threads} ahead of the reader. */
  private static final class ParallelSegments implements ChunkSource {
    private final Path file;
    private final long[] bounds;
    private final AtomicLong bytesRead;
    private final ExecutorService pool;
    private final int ahead;
    private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private int submitted;
    private int taken;

    /** The segment being streamed because it inflates too much to hold, or null. */
    private InputStream streaming;

    ParallelSegments(Path file, long[] bounds, int threads, AtomicLong bytesRead) {
      this.file = file;
      this.bounds = bounds;
      this.bytesRead = bytesRead;
      this.ahead = Math.min(2 * threads, MAX_AHEAD);
      this.pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "bzip2");
                t.setDaemon(true);
                return t;
              });
    }

    @Override
    public byte[] next() throws IOException {
      if (streaming != null) {
        byte[] chunk = streaming.readNBytes(CHUNK_BYTES);
        if (chunk.length > 0) {
          return chunk;
        }
        streaming.close();
        streaming = null;
        bytesRead.addAndGet(bounds[taken + 1] - bounds[taken]);
        taken++;
      }
      while (submitted < bounds.length - 1 && inFlight.size() < ahead) {
        long from = bounds[submitted];
        long to = bounds[submitted + 1];
        inFlight.add(pool.submit(() -> decompress(file, from, to)));
        submitted++;
      }
      Future<byte[]> head = inFlight.poll();
      if (head == null) {
        return null;
      }
      try {
        byte[] chunk = head.get();
        if (chunk == null) { // too large to hold: decode it here, chunk by chunk
          streaming = segmentStream(file, bounds[taken], bounds[taken + 1]);
          return next();
        }
        bytesRead.addAndGet(bounds[taken + 1] - bounds[taken]);
        taken++;
        return chunk;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }

    /** The segment's bytes, or null when they come to more than {@link #MAX_SEGMENT_OUTPUT}. */
    private static byte[] decompress(Path file, long from, long to) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) (to - from) * 5);
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = segmentStream(file, from, to)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (out.size() + n > MAX_SEGMENT_OUTPUT) {
            return null;
          }
          out.write(buffer, 0, n);
        }
      }
      return out.toByteArray();
    }

    /** The decompressed bytes of the file's bytes {@code from} to {@code to}. */
    private static InputStream segmentStream(Path file, long from, long to) throws IOException {
      byte[] compressed = new byte[Math.toIntExact(to - from)];
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer target = ByteBuffer.wrap(compressed);
        while (target.hasRemaining()) {
          if (channel.read(target, from + target.position()) < 0) {
            throw new IOException("file shrank while being read");
          }
        }
      }
      return new BZip2CompressorInputStream(new java.io.ByteArrayInputStream(compressed), true);
    }

    @Override
    public void close() {
      inFlight.forEach(f -> f.cancel(true));
      pool.shutdownNow();
    }
  }

  /** One decoder on a thread of its own, a few chunks ahead of the reader. */
  private static final class ReadAhead implements ChunkSource {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private final Thread thread;
    private volatile IOException failure;

    ReadAhead(InputStream decoder) {
      thread =
          new Thread(
              () -> {
                try (decoder) {
                  while (true) {
                    byte[] chunk = decoder.readNBytes(CHUNK_BYTES);
                    chunks.put(chunk.length == 0 ? END : chunk);
                    if (chunk.length == 0) {
                      return;
                    }
                  }
                } catch (IOException e) {
                  failure = e;
                  chunks.offer(END);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bzip2");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public byte[] next() throws IOException {
      try {
        byte[] chunk = chunks.take();
        if (chunk == END) {
          chunks.offer(END); // later calls see the end too
          if (failure != null) {
            throw failure;
          }
          return null;
        }
        return chunk;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }

  /** An input stream over the chunks of a source. */
  private static final class ChunkStream extends InputStream {
    private final ChunkSource source;
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    ChunkStream(ChunkSource source) {
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (pos == chunk.length) {
        if (ended) {
          return -1;
        }
        byte[] next = source.next();
        if (next == null) {
          ended = true;
          return -1;
        }
        chunk = next;
        pos = 0;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() {
      source.close();
    }
  }

  /** Counts the bytes that pass into {@code bytesRead}. */
  static final class CountingInput extends FilterInputStream {
    private final AtomicLong bytesRead;

    CountingInput(InputStream in, AtomicLong bytesRead) {
      super(in);
      this.bytesRead = bytesRead;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        bytesRead.incrementAndGet();
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        bytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      bytesRead.addAndGet(skipped);
      return skipped;
    }
  }
}
