package org.minibert.trainer.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.minibert.core.fillmask.TopK;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.data.TokenizedSplit;
import org.minibert.trainer.data.TrainingData;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Masked-piece prediction on held-out prose of any domain, beside the baseline that knows only how
 * often each piece occurs in the training data. This is the figure that tells whether a model
 * learnt the language or only the frequencies: a model is worth serving where its top-1 clearly
 * beats always answering the most frequent piece.
 *
 * <p>Each line of a text file is one passage. In every passage, 15% of the pieces (at least one)
 * are replaced by {@code [MASK]}, one piece each (the masks depend only on the line, not on the
 * run's seed, so runs compare), and the model predicts them from the rest. As in the inference
 * service, a mask is answered only with pieces that can stand there: a {@code ##} piece where the
 * masked piece continued a word, a word start elsewhere; the unigram baseline answers from the same
 * set, by training frequency.
 *
 * <p>Whole-word fill-mask is scored apart: in every passage 15% of the words (at least one) have
 * every piece masked, and a word counts as filled when the model's first choice at each of its
 * masks is the right piece, which is what a fill-mask user reads back as the whole word. A small
 * model's first choice for a masked word is often just the most frequent piece, so the pass also
 * gives the graded figure: the mean loss of a masked word (the cross-entropy of its pieces,
 * summed), beside the loss of answering by training frequency.
 */
public final class HeldOutText {
  /** Share of a passage's pieces that are masked. */
  public static final double MASK_SHARE = 0.15;

  /** Passages per forward pass. */
  private static final int BATCH = 16;

  /**
   * The figures on a set of text files.
   *
   * @param sha256 of the files' contents in order: figures compare only on the same text
   * @param mlmLoss mean cross-entropy of the masked pieces (over the whole vocabulary)
   * @param top1 share of masked pieces that are the model's first choice
   * @param top5 share among its five best
   * @param unigramTop1 share that are the most frequent training piece of their kind (word start or
   *     continuation)
   * @param unigramTop5 share among the five most frequent
   * @param maskedWords words masked whole (every piece) in the whole-word pass
   * @param wordTop1 share of those words whose every piece is the model's first choice
   * @param wordUnigramTop1 share whose every piece is the most frequent piece of its kind
   * @param wordLoss mean over the masked words of the cross-entropy of their pieces, summed (nats
   *     per word, over the whole vocabulary)
   * @param wordUnigramLoss the same for the training frequencies of the pieces (add-one smoothed)
   */
  public record Report(
      List<String> files,
      String sha256,
      int passages,
      int maskedPieces,
      double mlmLoss,
      double top1,
      double top5,
      double unigramTop1,
      double unigramTop5,
      int maskedWords,
      double wordTop1,
      double wordUnigramTop1,
      double wordLoss,
      double wordUnigramLoss) {}

  private HeldOutText() {}

  /** The non-blank lines of the files, in order. */
  public static List<String> readPassages(List<Path> files) throws IOException {
    List<String> passages = new ArrayList<>();
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          passages.add(line.strip());
        }
      }
    }
    if (passages.isEmpty()) {
      throw new IllegalArgumentException("no text in " + files);
    }
    return passages;
  }

  /** How often each piece occurs in a split: the unigram baseline's knowledge. */
  public static long[] pieceCounts(TokenizedSplit split, int vocabSize) {
    long[] counts = new long[vocabSize];
    int[] chunk = new int[1 << 16];
    for (long offset = 0; offset < split.tokenCount(); offset += chunk.length) {
      int length = (int) Math.min(chunk.length, split.tokenCount() - offset);
      split.copyTokens(offset, length, chunk, 0);
      for (int i = 0; i < length; i++) {
        counts[chunk[i]]++;
      }
    }
    return counts;
  }

  public static Report run(
      List<Path> files,
      BertForPreTraining model,
      BertTokenizer tokenizer,
      long[] pieceCounts,
      NDManager manager)
      throws IOException {
    List<String> passages = readPassages(files);
    int maxLength = model.config().maxPositionEmbeddings();
    Baseline baseline = new Baseline(pieceCounts, tokenizer);
    ParameterStore ps = new ParameterStore(manager, false);

    double lossSum = 0;
    int masked = 0;
    int top1 = 0;
    int top5 = 0;
    int unigram1 = 0;
    int unigram5 = 0;
    for (int from = 0; from < passages.size(); from += BATCH) {
      List<MaskedPassage> batch = new ArrayList<>();
      for (int p = from; p < Math.min(passages.size(), from + BATCH); p++) {
        batch.add(
            MaskedPassage.of(
                tokenizer.encode(passages.get(p)),
                maxLength,
                new SplittableRandom(TrainingData.VALIDATION_SEED * 31 + p)));
      }
      float[][] logits = predict(model, ps, manager, batch);
      int row = 0;
      for (MaskedPassage passage : batch) {
        for (int k = 0; k < passage.positions.length; k++, row++) {
          int answer = passage.answers[k];
          boolean continuation = tokenizer.isContinuation(answer);
          float[] scores = logits[row];
          lossSum += crossEntropy(scores, answer);
          int[] best =
              TopK.indices(
                  scores,
                  5,
                  id ->
                      id >= SpecialTokens.ALL.size()
                          && tokenizer.isContinuation(id) == continuation);
          top1 += best.length > 0 && best[0] == answer ? 1 : 0;
          top5 += contains(best, answer) ? 1 : 0;
          int[] frequent = baseline.best(continuation);
          unigram1 += frequent.length > 0 && frequent[0] == answer ? 1 : 0;
          unigram5 += contains(frequent, answer) ? 1 : 0;
          masked++;
        }
      }
    }
    int words = 0;
    int wordsFilled = 0;
    int wordsUnigram = 0;
    double wordLossSum = 0;
    double wordUnigramLossSum = 0;
    for (int from = 0; from < passages.size(); from += BATCH) {
      List<MaskedPassage> batch = new ArrayList<>();
      for (int p = from; p < Math.min(passages.size(), from + BATCH); p++) {
        batch.add(
            MaskedPassage.ofWords(
                tokenizer.encode(passages.get(p)),
                maxLength,
                tokenizer,
                new SplittableRandom(TrainingData.VALIDATION_SEED * 37 + p)));
      }
      float[][] logits = predict(model, ps, manager, batch);
      int row = 0;
      for (MaskedPassage passage : batch) {
        boolean modelRight = true;
        boolean unigramRight = true;
        for (int k = 0; k < passage.positions.length; k++, row++) {
          int answer = passage.answers[k];
          boolean continuation = tokenizer.isContinuation(answer);
          wordLossSum += crossEntropy(logits[row], answer);
          wordUnigramLossSum += baseline.loss(answer);
          int[] best =
              TopK.indices(
                  logits[row],
                  1,
                  id ->
                      id >= SpecialTokens.ALL.size()
                          && tokenizer.isContinuation(id) == continuation);
          modelRight &= best.length > 0 && best[0] == answer;
          int[] frequent = baseline.best(continuation);
          unigramRight &= frequent.length > 0 && frequent[0] == answer;
          boolean wordEnds =
              k + 1 == passage.positions.length
                  || !tokenizer.isContinuation(passage.answers[k + 1])
                  || passage.positions[k + 1] != passage.positions[k] + 1;
          if (wordEnds) {
            words++;
            wordsFilled += modelRight ? 1 : 0;
            wordsUnigram += unigramRight ? 1 : 0;
            modelRight = true;
            unigramRight = true;
          }
        }
      }
    }

    double n = Math.max(1, masked);
    double w = Math.max(1, words);
    return new Report(
        files.stream().map(Path::toString).toList(),
        sha256(files),
        passages.size(),
        masked,
        lossSum / n,
        top1 / n,
        top5 / n,
        unigram1 / n,
        unigram5 / n,
        words,
        wordsFilled / w,
        wordsUnigram / w,
        wordLossSum / w,
        wordUnigramLossSum / w);
  }

  /** The MLM logits of every masked position of the batch, passage by passage, in order. */
  private static float[][] predict(
      BertForPreTraining model, ParameterStore ps, NDManager manager, List<MaskedPassage> batch) {
    int length = batch.stream().mapToInt(p -> p.ids.length).max().orElse(0);
    int slots = Math.max(1, batch.stream().mapToInt(p -> p.positions.length).max().orElse(1));
    int[] ids = new int[batch.size() * length];
    int[] attention = new int[batch.size() * length];
    int[] positions = new int[batch.size() * slots];
    for (int b = 0; b < batch.size(); b++) {
      MaskedPassage p = batch.get(b);
      System.arraycopy(p.ids, 0, ids, b * length, p.ids.length);
      Arrays.fill(attention, b * length, b * length + p.ids.length, 1);
      System.arraycopy(p.positions, 0, positions, b * slots, p.positions.length);
    }
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(batch.size(), length);
      NDArray out =
          model
              .forward(
                  ps,
                  scope.create(ids, shape),
                  scope.zeros(shape, ai.djl.ndarray.types.DataType.INT32),
                  scope.create(attention, shape),
                  scope.create(positions, new Shape(batch.size(), slots)),
                  false)
              .get(0);
      float[] flat = out.toFloatArray();
      int vocab = (int) out.getShape().get(2);
      List<float[]> rows = new ArrayList<>();
      for (int b = 0; b < batch.size(); b++) {
        for (int k = 0; k < batch.get(b).positions.length; k++) {
          int at = (b * slots + k) * vocab;
          rows.add(Arrays.copyOfRange(flat, at, at + vocab));
        }
      }
      return rows.toArray(float[][]::new);
    }
  }

  /** A passage with some pieces masked: the input ids, where the masks are and what stood there. */
  private record MaskedPassage(int[] ids, int[] positions, int[] answers) {
    static MaskedPassage of(Encoded encoded, int maxLength, SplittableRandom random) {
      int[] ids = Arrays.copyOf(encoded.ids(), Math.min(encoded.length(), maxLength));
      ids[ids.length - 1] = SpecialTokens.SEP_ID; // truncated: keep [CLS] ... [SEP]
      int real = ids.length - 2;
      int[] order = java.util.stream.IntStream.rangeClosed(1, real).toArray();
      org.minibert.trainer.data.Shuffle.inPlace(order, random);
      int count = Math.max(1, (int) Math.round(real * MASK_SHARE));
      int[] positions = real <= 0 ? new int[0] : Arrays.copyOf(order, Math.min(count, real));
      Arrays.sort(positions);
      int[] answers = new int[positions.length];
      for (int k = 0; k < positions.length; k++) {
        answers[k] = ids[positions[k]];
        ids[positions[k]] = SpecialTokens.MASK_ID;
      }
      return new MaskedPassage(ids, positions, answers);
    }

    /** 15% of the passage's words (at least one), every piece of each masked. */
    static MaskedPassage ofWords(
        Encoded encoded, int maxLength, BertTokenizer tokenizer, SplittableRandom random) {
      int[] ids = Arrays.copyOf(encoded.ids(), Math.min(encoded.length(), maxLength));
      ids[ids.length - 1] = SpecialTokens.SEP_ID;
      int[][] words = words(ids, tokenizer);
      int[] starts = words[0];
      int[] lengths = words[1];
      int[] order = java.util.stream.IntStream.range(0, starts.length).toArray();
      org.minibert.trainer.data.Shuffle.inPlace(order, random);
      int count =
          Math.min(starts.length, Math.max(1, (int) Math.round(starts.length * MASK_SHARE)));
      int[] chosen = Arrays.copyOf(order, count);
      Arrays.sort(chosen);
      int pieces = 0;
      for (int word : chosen) {
        pieces += lengths[word];
      }
      int[] positions = new int[pieces];
      int[] answers = new int[pieces];
      int k = 0;
      for (int word : chosen) {
        for (int p = starts[word]; p < starts[word] + lengths[word]; p++, k++) {
          positions[k] = p;
          answers[k] = ids[p];
          ids[p] = SpecialTokens.MASK_ID;
        }
      }
      return new MaskedPassage(ids, positions, answers);
    }
  }

  /** The positions of passage pieces that start a word and how many pieces each word has. */
  private static int[][] words(int[] ids, BertTokenizer tokenizer) {
    int real = ids.length - 2;
    int[] starts = new int[real];
    int[] lengths = new int[real];
    int count = 0;
    for (int p = 1; p <= real; p++) {
      if (count == 0 || !tokenizer.isContinuation(ids[p])) {
        starts[count++] = p;
      }
      lengths[count - 1]++;
    }
    return new int[][] {Arrays.copyOf(starts, count), Arrays.copyOf(lengths, count)};
  }

  /**
   * The five most frequent training pieces among word starts and among continuations, and each
   * piece's loss under the training frequencies.
   */
  private static final class Baseline {
    private final int[] wordStarts;
    private final int[] continuations;
    private final double[] loss;

    Baseline(long[] counts, BertTokenizer tokenizer) {
      float[] frequency = new float[counts.length];
      long total = 0;
      for (int id = 0; id < counts.length; id++) {
        frequency[id] = counts[id];
        total += counts[id];
      }
      // add-one smoothing: a piece never seen in training still has a finite loss
      loss = new double[counts.length];
      for (int id = 0; id < counts.length; id++) {
        loss[id] = Math.log((double) (total + counts.length) / (counts[id] + 1));
      }
      wordStarts =
          TopK.indices(
              frequency, 5, id -> id >= SpecialTokens.ALL.size() && !tokenizer.isContinuation(id));
      continuations =
          TopK.indices(
              frequency, 5, id -> id >= SpecialTokens.ALL.size() && tokenizer.isContinuation(id));
    }

    int[] best(boolean continuation) {
      return continuation ? continuations : wordStarts;
    }

    /** -log p(piece) by training frequency. */
    double loss(int piece) {
      return loss[piece];
    }
  }

  /** -log softmax(logits)[answer]: the loss of one masked position over the whole vocabulary. */
  private static double crossEntropy(float[] logits, int answer) {
    return TopK.logSumExp(logits) - logits[answer];
  }

  private static boolean contains(int[] ids, int id) {
    for (int candidate : ids) {
      if (candidate == id) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(List<Path> files) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        digest.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
