package org.minibert.bench.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;

/**
 * Time per text of {@link BertTokenizer#encode} (the Java path for common characters) against
 * {@link BertTokenizer#encodeWithLibrary} (the Hugging Face library through DJL) on the serving
 * benchmark's short text and its 32 long texts, one thread, interleaved rounds, medians; and
 * whether the two agree on every text. A command that prints figures, not a test.
 *
 * <p>Usage: {@code bench/run org.minibert.bench.serving.TokenizerLatency
 * VERSION_FOLDER/tokenizer.json [CORPUS]}
 */
public final class TokenizerLatency {
  private static final int ROUNDS = 9;

  private TokenizerLatency() {}

  public static void main(String[] args) throws Exception {
    Path tokenizerJson = Path.of(args[0]);
    Path corpus = Path.of(args.length > 1 ? args[1] : "samples/kowiki-sample.xml");
    try (BertTokenizer tokenizer = BertTokenizer.load(tokenizerJson)) {
      List<String> longTexts = ServingBenchmark.longTexts(corpus, tokenizer, 100, 32);
      for (List<String> texts : List.of(List.of(ServingBenchmark.SHORT_TEXT), longTexts)) {
        int mismatches = 0;
        for (String text : texts) {
          if (!same(tokenizer.encode(text), tokenizer.encodeWithLibrary(text))) {
            mismatches++;
          }
        }
        List<Double> java = new ArrayList<>();
        List<Double> library = new ArrayList<>();
        int calls = Math.max(5000 / texts.size(), 100);
        for (int round = 0; round < ROUNDS; round++) {
          java.add(microsPerText(texts, calls, tokenizer::encode));
          library.add(microsPerText(texts, calls, tokenizer::encodeWithLibrary));
        }
        System.out.printf(
            "%s (%d text(s), %d-%d tokens): Java path %.1f us, library %.1f us per text (medians"
                + " of %d rounds), %.1fx; texts where they differ: %d%n",
            texts.size() == 1 ? "short" : "long",
            texts.size(),
            texts.stream().mapToInt(t -> tokenizer.encode(t).length()).min().orElse(0),
            texts.stream().mapToInt(t -> tokenizer.encode(t).length()).max().orElse(0),
            median(java),
            median(library),
            ROUNDS,
            median(library) / median(java),
            mismatches);
      }
    }
  }

  private static double microsPerText(
      List<String> texts, int calls, Function<String, Encoded> encode) {
    long tokens = 0;
    long start = System.nanoTime();
    for (int call = 0; call < calls; call++) {
      for (String text : texts) {
        tokens += encode.apply(text).length();
      }
    }
    long nanos = System.nanoTime() - start;
    if (tokens == 0) {
      throw new IllegalStateException("no tokens");
    }
    return nanos / 1e3 / ((double) calls * texts.size());
  }

  private static boolean same(Encoded a, Encoded b) {
    return Arrays.equals(a.ids(), b.ids())
        && Arrays.equals(a.typeIds(), b.typeIds())
        && Arrays.equals(a.starts(), b.starts())
        && Arrays.equals(a.ends(), b.ends());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
