package org.minibert.bench.training;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;

/**
 * Writes a MediaWiki export of a chosen size from the bundled corpora, for measuring {@code
 * prepare} at scale without downloading a dump. The sentences of the bundled samples are drawn at
 * random; in a third of their Hangul words the stem (every syllable but the last) is replaced by a
 * new word drawn from a Zipf distribution over tens of millions of made-up words, so that the
 * number of distinct words keeps growing with the size as in real text, instead of stopping at the
 * samples' few thousand. Each page is wrapped in the wikitext an article has: an infobox template,
 * bold title, links, references, headings, a table and categories.
 *
 * <p>A {@code .bz2} target is written as a multistream file, one bzip2 stream per few hundred pages
 * (Wikimedia's {@code pages-articles-multistream.xml.bz2} has one per 100), compressed on every
 * core. The output depends only on the sources, the size and the seed.
 */
public final class WikiDumpGenerator {
  /** Made-up words that the Zipf draws choose from. */
  private static final long NEW_WORDS = 50_000_000L;

  private static final int PAGES_PER_STREAM = 400;

  private final List<String> sentences;
  private final String[] syllables;

  private WikiDumpGenerator(List<String> sentences) {
    this.sentences = sentences;
    TreeSet<Integer> seen = new TreeSet<>();
    for (String sentence : sentences) {
      sentence.chars().filter(WikiDumpGenerator::isSyllable).forEach(seen::add);
    }
    this.syllables = seen.stream().map(c -> Character.toString(c)).toArray(String[]::new);
    if (sentences.isEmpty() || syllables.length < 10) {
      throw new IllegalArgumentException("the source corpus has too little Korean text");
    }
  }

  /** A generator drawing on the sentences of the corpus files or folders {@code sources}. */
  public static WikiDumpGenerator from(List<Path> sources) {
    List<String> sentences = new ArrayList<>();
    Corpus.read(sources, doc -> sentences.addAll(doc.sentences()), new CorpusStats());
    return new WikiDumpGenerator(sentences);
  }

  /**
   * Writes at least {@code targetBytes} of XML (before compression) into {@code file}, compressed
   * when its name ends in {@code .bz2}; returns the XML bytes written.
   */
  public long write(Path file, long targetBytes, long seed, int threads) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean bz2 = file.getFileName().toString().endsWith(".bz2");
    SplittableRandom random = new SplittableRandom(seed);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      byte[] header = utf8(header());
      out.write(bz2 ? compress(header) : header);
      written += header.length;
      Deque<Future<byte[]>> pending = new ArrayDeque<>();
      int page = 0;
      while (written < targetBytes) {
        StringBuilder xml = new StringBuilder(1 << 20);
        for (int i = 0; i < PAGES_PER_STREAM; i++) {
          page(xml, ++page, random);
        }
        byte[] chunk = utf8(xml.toString());
        written += chunk.length;
        pending.add(pool.submit(() -> bz2 ? compress(chunk) : chunk));
        while (pending.size() > 2 * threads) {
          out.write(pending.poll().get());
        }
      }
      while (!pending.isEmpty()) {
        out.write(pending.poll().get());
      }
      byte[] footer = utf8("</mediawiki>\n");
      written += footer.length;
      out.write(bz2 ? compress(footer) : footer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return written;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] compress(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 3);
    try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(bytes)) {
      bz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String header() {
    return """
    <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="ko">
      <siteinfo>
        <sitename>위키백과</sitename>
        <dbname>kowiki</dbname>
        <case>first-letter</case>
      </siteinfo>
    """;
  }

  /** One article page; every fifth page is a redirect or a page of another namespace. */
  private void page(StringBuilder xml, int id, SplittableRandom random) {
    String title = newWord(random) + (random.nextInt(8) == 0 ? " (동음이의)" : "");
    int kind = random.nextInt(20);
    int namespace = kind == 0 ? 10 : 0;
    String text = kind == 1 ? "#넘겨주기 [[" + newWord(random) + "]]" : wikitext(title, random);
    xml.append("  <page>\n    <title>")
        .append(escape(title))
        .append("</title>\n    <ns>")
        .append(namespace)
        .append("</ns>\n    <id>")
        .append(id)
        .append("</id>\n");
    if (kind == 1) {
      xml.append("    <redirect title=\"").append(escape(title)).append("\" />\n");
    }
    xml.append("    <revision>\n      <id>")
        .append(1_000_000 + id)
        .append("</id>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n")
        .append("      <text bytes=\"0\" xml:space=\"preserve\">")
        .append(escape(text))
        .append("</text>\n    </revision>\n  </page>\n");
  }

  private String wikitext(String title, SplittableRandom random) {
    StringBuilder w = new StringBuilder(4096);
    w.append("{{정보상자 인물\n| 이름 = ")
        .append(title)
        .append("\n| 출생일 = {{출생일과 나이|19")
        .append(10 + random.nextInt(90))
        .append("|")
        .append(1 + random.nextInt(12))
        .append("|")
        .append(1 + random.nextInt(28))
        .append("}}\n| 국적 = [[대한민국]]\n}}\n");
    w.append("'''").append(title).append("'''(").append("{{llang|en|").append(title).append("}})");
    w.append("은 ");
    int sections = 1 + random.nextInt(4);
    for (int s = 0; s < sections; s++) {
      if (s > 0) {
        w.append("\n\n== ").append(newWord(random)).append(" ==\n");
      }
      int paragraphs = 1 + random.nextInt(3);
      for (int p = 0; p < paragraphs; p++) {
        int count = 2 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
          sentence(w, random);
          if (random.nextInt(4) == 0) {
            w.append("<ref>{{웹 인용|url=https://example.org/")
                .append(random.nextInt(1_000_000))
                .append("|제목=")
                .append(newWord(random))
                .append("|날짜=2020-01-01}}</ref>");
          }
          w.append(' ');
        }
        w.append("\n\n");
      }
      if (random.nextInt(3) == 0) {
        table(w, random);
      }
    }
    w.append("\n== 각주 ==\n{{각주}}\n\n[[분류:").append(newWord(random)).append("]]\n");
    w.append("[[en:").append(title).append("]]\n");
    return w.toString();
  }

  private void table(StringBuilder w, SplittableRandom random) {
    w.append("{| class=\"wikitable\"\n|-\n! 연도 !! ").append(newWord(random)).append('\n');
    int rows = 1 + random.nextInt(4);
    for (int r = 0; r < rows; r++) {
      w.append("|-\n| ")
          .append(1990 + random.nextInt(35))
          .append(" || [[")
          .append(newWord(random))
          .append("]]\n");
    }
    w.append("|}\n\n");
  }

  /** A source sentence, a third of its stems replaced, some words linked or bold. */
  private void sentence(StringBuilder w, SplittableRandom random) {
    String[] words = sentences.get(random.nextInt(sentences.size())).split(" ");
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        w.append(' ');
      }
      String word = words[i];
      if (word.length() >= 2 && isHangulWord(word) && random.nextInt(3) == 0) {
        word = newWord(random) + word.charAt(word.length() - 1);
      }
      int markup = random.nextInt(12);
      if (markup == 0 && isHangulWord(word)) {
        w.append("[[").append(word).append("]]");
      } else if (markup == 1 && isHangulWord(word)) {
        w.append("[[").append(newWord(random)).append('|').append(word).append("]]");
      } else if (markup == 2 && isHangulWord(word)) {
        w.append("'''").append(word).append("'''");
      } else {
        w.append(word);
      }
    }
  }

  /**
   * A made-up word of two to four syllables drawn from a Zipf distribution (probability of rank r
   * about 1/r), the same rank always spelling the same word.
   */
  private String newWord(SplittableRandom random) {
    long rank = (long) Math.exp(random.nextDouble() * Math.log(NEW_WORDS));
    long mixed = mix(rank);
    int length = 2 + (int) Long.remainderUnsigned(mixed >>> 48, 3);
    StringBuilder word = new StringBuilder(length);
    long digits = mixed;
    for (int i = 0; i < length; i++) {
      word.append(syllables[(int) Long.remainderUnsigned(digits, syllables.length)]);
      digits = Long.divideUnsigned(digits, syllables.length) ^ (rank * 0x9E3779B97F4A7C15L >>> i);
    }
    return word.toString();
  }

  private static long mix(long x) {
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  private static boolean isSyllable(int c) {
    return c >= 0xAC00 && c <= 0xD7A3;
  }

  private static boolean isHangulWord(String word) {
    return word.chars().allMatch(WikiDumpGenerator::isSyllable);
  }

  private static String escape(String text) {
    StringBuilder s = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '&' -> s.append("&amp;");
        case '"' -> s.append("&quot;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }
}
