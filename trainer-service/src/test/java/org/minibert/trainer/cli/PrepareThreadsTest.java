package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prepare} writes the same data set whatever its number of threads: every file byte for
 * byte, dataset.json but for the time it was written.
 */
class PrepareThreadsTest {
  static final Path SAMPLES = Path.of("../samples");

  @TempDir Path tmp;

  private Path prepare(String name, String input, String threads) {
    Path out = tmp.resolve(name);
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            input,
            "--out",
            out.toString(),
            "--vocab-size",
            "2000",
            "--threads",
            threads);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return out;
  }

  @Test
  void theBundledSamplesGiveTheSameDataSetOnOneThreadAndOnFour() throws IOException {
    Path one = prepare("one", SAMPLES.toString(), "1");
    Path four = prepare("four", SAMPLES.toString(), "4");
    assertSameDataSet(one, four);
  }

  @Test
  void aMultistreamDumpGivesTheSameDataSetAsItsPlainXml() throws IOException {
    Path xml = SAMPLES.resolve("kowiki-sample.xml");
    Path bz2 = multistream(Files.readString(xml), tmp.resolve("kowiki-sample.xml.bz2"));
    Path plain = prepare("plain", xml.toString(), "1");
    Path compressed = prepare("bz2", bz2.toString(), "4");
    assertSameDataSet(plain, compressed);
  }

  /** The dump as one bzip2 stream per page, as Wikimedia's multistream dumps are cut. */
  private static Path multistream(String xml, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      int from = 0;
      for (int end = xml.indexOf("</page>"); end >= 0; end = xml.indexOf("</page>", from)) {
        out.write(bzip2(xml.substring(from, end + "</page>".length())));
        from = end + "</page>".length();
      }
      out.write(bzip2(xml.substring(from)));
    }
    return file;
  }

  private static byte[] bzip2(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static void assertSameDataSet(Path a, Path b) throws IOException {
    List<Path> files = files(a);
    assertThat(files).isEqualTo(files(b)).hasSizeGreaterThan(5);
    for (Path file : files) {
      if (file.toString().equals("dataset.json")) {
        assertThat(withoutCreated(b.resolve(file))).isEqualTo(withoutCreated(a.resolve(file)));
      } else {
        assertThat(Files.mismatch(a.resolve(file), b.resolve(file)))
            .as(file.toString())
            .isEqualTo(-1);
      }
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  /** dataset.json without its "created" time and input paths. */
  private static String withoutCreated(Path json) throws IOException {
    return Files.readString(json)
        .replaceAll("\"created_at\"\\s*:\\s*\"[^\"]*\"", "")
        .replaceAll("\"inputs\"\\s*:\\s*\\[[^]]*]", "");
  }
}
