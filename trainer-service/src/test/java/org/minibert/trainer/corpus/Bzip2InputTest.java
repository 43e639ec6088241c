package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bzip2InputTest {
  @TempDir Path tmp;

  /** Text that compresses to several bzip2 blocks per stream with blocks of 100 kB. */
  private static byte[] text(int lines, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      s.append("줄 ").append(i).append(' ');
      for (int w = 0; w < 8; w++) {
        s.append((char) (0xAC00 + random.nextInt(400))).append((char) ('a' + random.nextInt(26)));
      }
      s.append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bzip2(byte[] data, int from, int to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out, 1)) {
      bz.write(data, from, to - from);
    }
    return out.toByteArray();
  }

  /** {@code data} as {@code streams} bzip2 streams back to back, as a multistream dump is. */
  private Path multistream(byte[] data, int streams) throws IOException {
    Path file = tmp.resolve("multi-" + streams + ".bz2");
    try (var out = Files.newOutputStream(file)) {
      for (int i = 0; i < streams; i++) {
        out.write(bzip2(data, data.length * i / streams, data.length * (i + 1) / streams));
      }
    }
    return file;
  }

  private static byte[] readAll(Path file, int threads, AtomicLong bytesRead, int segmentBytes)
      throws IOException {
    try (InputStream in = Bzip2Input.open(file, threads, bytesRead, segmentBytes)) {
      return in.readAllBytes();
    }
  }

  @Test
  void findsTheStartOfEveryStream() throws IOException {
    Path file = multistream(text(3000, 1), 7);
    assertThat(Bzip2Input.streamStarts(file)).hasSize(7).startsWith(0L);
  }

  @Test
  void aMultistreamFileReadsTheSameOnOneThreadAndOnSeveral() throws IOException {
    byte[] data = text(20_000, 2);
    Path file = multistream(data, 25);
    for (int threads : new int[] {1, 2, 3, 8}) {
      AtomicLong bytesRead = new AtomicLong();
      assertThat(readAll(file, threads, bytesRead, 1000)).as("%d threads", threads).isEqualTo(data);
      assertThat(bytesRead.get()).as("%d threads", threads).isEqualTo(Files.size(file));
    }
  }

  @Test
  void aSingleStreamIsReadAheadOnAThreadOfItsOwn() throws IOException {
    byte[] data = text(20_000, 3);
    Path file = tmp.resolve("single.bz2");
    Files.write(file, bzip2(data, 0, data.length));
    AtomicLong bytesRead = new AtomicLong();
    assertThat(readAll(file, 4, bytesRead, 1000)).isEqualTo(data);
    assertThat(bytesRead.get()).isEqualTo(Files.size(file));
  }

  @Test
  void aSegmentThatInflatesTooMuchToHoldIsStreamed() throws IOException {
    byte[] text = text(5000, 5);
    byte[] zeros = new byte[Bzip2Input.MAX_SEGMENT_OUTPUT + 12345];
    Path file = tmp.resolve("bomb.bz2");
    try (var out = Files.newOutputStream(file)) {
      out.write(bzip2(text, 0, text.length));
      out.write(bzip2(zeros, 0, zeros.length));
      out.write(bzip2(text, 0, text.length));
    }
    AtomicLong bytesRead = new AtomicLong();
    byte[] read = readAll(file, 3, bytesRead, 1);
    assertThat(read).hasSize(2 * text.length + zeros.length);
    assertThat(java.util.Arrays.copyOfRange(read, read.length - text.length, read.length))
        .isEqualTo(text);
    assertThat(bytesRead.get()).isEqualTo(Files.size(file));
  }

  @Test
  void aDamagedSegmentFailsInsteadOfReadingGarbage() throws IOException {
    Path file = multistream(text(20_000, 4), 10);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(file, bytes);
    for (int threads : new int[] {1, 3}) {
      assertThatThrownBy(() -> readAll(file, threads, new AtomicLong(), 1000))
          .as("%d threads", threads)
          .isInstanceOf(IOException.class);
    }
  }
}
