package org.minibert.trainer.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.tokenizer.BertPreTokenizer;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.Progress;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;
import org.minibert.trainer.corpus.Document;
import org.minibert.trainer.corpus.PlainTextReader;
import org.minibert.trainer.corpus.RecordLimits;
import org.minibert.trainer.parallel.OrderedWork;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;
import org.minibert.trainer.tokenizer.Vocabulary;
import org.minibert.trainer.tokenizer.WordCounts;
import org.minibert.trainer.tokenizer.WordPieceTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code prepare}: corpus -> cleaned sentences -> WordPiece vocabulary -> token ids in
 * memory-mapped splits.
 *
 * <ol>
 *   <li>Read every input once, cleaning and splitting it into sentences, into a scratch text file
 *       in BERT's format (wikitext cleaning is the slow part and is not repeated).
 *   <li>Split the documents into train and validation, seeded, whole documents only.
 *   <li>Learn the vocabulary from the training documents only, so the validation [UNK] rate is
 *       measured on text the tokenizer never saw: every word counted exactly in bounded memory
 *       ({@link WordCounts}), the merges learnt from the most frequent {@code wordPieceWords}.
 *   <li>Tokenize every document through the written {@code tokenizer.json} (the same tokenizer as
 *       serving) into the split files.
 *   <li>Write {@code dataset.json} with counts, tokenizer figures and checksums.
 * </ol>
 *
 * <p>Documents stream through every pass, so memory does not grow with the corpus. Decompressing,
 * cleaning and splitting, word counting and tokenizing run on {@code threads} threads; results are
 * taken in corpus order ({@link OrderedWork}), so the data set is byte-identical for any number of
 * threads. Each pass logs one summary line with its time.
 *
 * <p>Everything is built in {@code OUT.partial} and renamed to {@code OUT} at the end: a folder
 * named OUT is always complete, and a failed run leaves nothing that looks like one.
 */
public final class DatasetPreparer {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparer.class);
  private static final String SCRATCH_TEXT = "corpus.txt";
  private static final int MIN_CHAR_FREQUENCY = 2;
  private static final int MIN_PAIR_FREQUENCY = 2;
  private static final String WORD_COUNT_RUNS = "word-counts";

  /** Documents per task of the word counting and tokenizing passes. */
  private static final int BATCH_DOCUMENTS = 64;

  /** Distinct words counted in memory before the counts are spilled to disk. */
  private static final int MAX_WORDS_IN_MEMORY = 100_000;

  /**
   * What {@code prepare} is asked to do; the {@code DEFAULT_} values are what the command line and
   * the demo use.
   */
  public record Settings(
      List<Path> inputs,
      Path out,
      int vocabSize,
      int maxSeqLen,
      double valFraction,
      long seed,
      double minHangulShare,
      int maxRecordChars,
      WordPieceTrainer.MergeScore mergeScore,
      int threads,
      int wordPieceWords) {
    public static final int DEFAULT_VOCAB_SIZE = 8000;

    /** Every core the JVM sees. */
    public static final int DEFAULT_THREADS = 0;

    /**
     * The most frequent words WordPiece learns its merges from; what it learns from the rarer ones
     * barely changes the vocabulary, and keeping them all would let memory grow with the corpus.
     */
    public static final int DEFAULT_WORDPIECE_WORDS = 200_000;

    public static final int DEFAULT_MAX_SEQ_LEN = 128;
    public static final double DEFAULT_VAL_FRACTION = 0.1;
    public static final long DEFAULT_SEED = 42;

    /** Keep every sentence. */
    public static final double DEFAULT_MIN_HANGUL_SHARE = 0;

    public static final WordPieceTrainer.MergeScore DEFAULT_MERGE_SCORE =
        WordPieceTrainer.MergeScore.FREQUENCY;

    /** {@code inputs} into {@code out} with the default settings. */
    public static Settings defaults(List<Path> inputs, Path out) {
      return new Settings(
          inputs,
          out,
          DEFAULT_VOCAB_SIZE,
          DEFAULT_MAX_SEQ_LEN,
          DEFAULT_VAL_FRACTION,
          DEFAULT_SEED,
          DEFAULT_MIN_HANGUL_SHARE,
          RecordLimits.DEFAULT_MAX_RECORD_CHARS,
          DEFAULT_MERGE_SCORE);
    }

    /** With the default threads and WordPiece words. */
    public Settings(
        List<Path> inputs,
        Path out,
        int vocabSize,
        int maxSeqLen,
        double valFraction,
        long seed,
        double minHangulShare,
        int maxRecordChars,
        WordPieceTrainer.MergeScore mergeScore) {
      this(
          inputs,
          out,
          vocabSize,
          maxSeqLen,
          valFraction,
          seed,
          minHangulShare,
          maxRecordChars,
          mergeScore,
          DEFAULT_THREADS,
          DEFAULT_WORDPIECE_WORDS);
    }

    public Settings(
        List<Path> inputs,
        Path out,
        int vocabSize,
        int maxSeqLen,
        double valFraction,
        long seed,
        double minHangulShare) {
      this(
          inputs,
          out,
          vocabSize,
          maxSeqLen,
          valFraction,
          seed,
          minHangulShare,
          RecordLimits.DEFAULT_MAX_RECORD_CHARS,
          DEFAULT_MERGE_SCORE);
    }

    public Settings(
        List<Path> inputs, Path out, int vocabSize, int maxSeqLen, double valFraction, long seed) {
      this(inputs, out, vocabSize, maxSeqLen, valFraction, seed, DEFAULT_MIN_HANGUL_SHARE);
    }

    public Settings {
      inputs = List.copyOf(inputs);
      Objects.requireNonNull(mergeScore, "mergeScore");
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException(
            "no input given: name at least one corpus file or folder with --input");
      }
      if (vocabSize > SplitWriter.MAX_VOCAB_SIZE) {
        throw new IllegalArgumentException(
            "vocabulary size "
                + vocabSize
                + " is too large: token ids are stored in 16 bits (at most "
                + SplitWriter.MAX_VOCAB_SIZE
                + ")");
      }
      if (maxRecordChars < 1) {
        throw new IllegalArgumentException(
            "--max-record-chars must be at least 1, got " + maxRecordChars);
      }
      if (maxSeqLen < 8 || maxSeqLen > 4096) {
        throw new IllegalArgumentException(
            "max sequence length must be between 8 and 4096, got " + maxSeqLen);
      }
      if (!(valFraction >= 0 && valFraction < 1)) {
        throw new IllegalArgumentException(
            "validation fraction must be in [0, 1), got " + valFraction);
      }
      if (threads < 0) {
        throw new IllegalArgumentException(
            "--threads must be 0 (every core) or more, got " + threads);
      }
      if (wordPieceWords < 1) {
        throw new IllegalArgumentException(
            "--wordpiece-words must be at least 1, got " + wordPieceWords);
      }
      if (!(minHangulShare >= 0 && minHangulShare <= 1)) {
        throw new IllegalArgumentException(
            "minimum Hangul share must be in [0, 1], got " + minHangulShare);
      }
    }
  }

  public DatasetInfo prepare(Settings settings) throws IOException {
    Path out = settings.out().toAbsolutePath().normalize();
    checkOutputFolder(out);
    for (Path input : settings.inputs()) {
      if (!Files.exists(input)) {
        throw new IllegalArgumentException("input not found: " + input);
      }
    }
    // checked before the corpus is read, so a bad size fails at once and not after minutes of
    // reading
    new WordPieceTrainer(
        settings.vocabSize(), MIN_CHAR_FREQUENCY, MIN_PAIR_FREQUENCY, settings.mergeScore());
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    FileTrees.deleteRecursively(partial);
    Files.createDirectories(partial);
    try {
      DatasetInfo info = build(settings, partial);
      if (Files.exists(out)) {
        Files.delete(out); // empty, as checked above
      }
      Files.move(partial, out);
      return info;
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteRecursively(partial);
      throw e;
    }
  }

  private DatasetInfo build(Settings settings, Path dir) throws IOException {
    int threads = OrderedWork.resolveThreads(settings.threads());
    LOG.info("preparing on {} threads", threads);
    Path text = dir.resolve(SCRATCH_TEXT);
    CorpusStats corpusStats = new CorpusStats();
    int documents =
        writeCleanText(
            settings.inputs(),
            text,
            settings.minHangulShare(),
            settings.maxRecordChars(),
            corpusStats,
            threads);
    if (documents == 0) {
      throw new IllegalArgumentException("empty corpus: no text found in " + settings.inputs());
    }
    boolean[] validation =
        chooseValidationDocuments(documents, settings.valFraction(), settings.seed());
    returnMemory();

    Vocabulary vocabulary =
        trainVocabulary(
            text,
            validation,
            settings.vocabSize(),
            settings.mergeScore(),
            settings.wordPieceWords(),
            dir.resolve(WORD_COUNT_RUNS),
            threads);
    TokenizerJsonWriter.write(vocabulary, settings.maxSeqLen(), dir);
    returnMemory();

    Map<String, DatasetInfo.SplitSummary> splits = new LinkedHashMap<>();
    TokenCounts trainCounts = new TokenCounts();
    TokenCounts valCounts = new TokenCounts();
    // words per sentence are counted only where the figure is reported: the held-out split, or
    // the training split when there is none
    boolean countTrainWords = !hasTrue(validation);
    long started = System.nanoTime();
    try (BertTokenizer tokenizer =
            BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON));
        SplitWriter train = new SplitWriter(new SplitFiles(dir.resolve(DatasetInfo.TRAIN)));
        SplitWriter val = new SplitWriter(new SplitFiles(dir.resolve(DatasetInfo.VAL)));
        ProgressBar bar = Progress.bar("tokenize", documents, "docs");
        OrderedWork<List<TokenizedDocument>> work =
            new OrderedWork<>(
                threads,
                "tokenize",
                batch -> {
                  for (TokenizedDocument doc : batch) {
                    (doc.validation() ? valCounts : trainCounts).add(doc);
                    (doc.validation() ? val : train).addDocument(doc.ids());
                  }
                  bar.stepBy(batch.size());
                })) {
      int[] index = {0};
      List<Document> batch = new ArrayList<>();
      List<Boolean> batchValidation = new ArrayList<>();
      Runnable submit =
          () -> {
            List<Document> docs = List.copyOf(batch);
            List<Boolean> isVal = List.copyOf(batchValidation);
            batch.clear();
            batchValidation.clear();
            work.submit(() -> tokenize(tokenizer, docs, isVal, countTrainWords));
          };
      readCleanText(
          text,
          doc -> {
            batch.add(doc);
            batchValidation.add(validation[index[0]++]);
            if (batch.size() == BATCH_DOCUMENTS) {
              submit.run();
            }
          });
      if (!batch.isEmpty()) {
        submit.run();
      }
      work.finish();
      splits.put(
          DatasetInfo.TRAIN,
          new DatasetInfo.SplitSummary(
              train.documentCount(), train.sentenceCount(), train.tokenCount()));
      splits.put(
          DatasetInfo.VAL,
          new DatasetInfo.SplitSummary(val.documentCount(), val.sentenceCount(), val.tokenCount()));
    }
    Files.delete(text);
    double seconds = seconds(started);
    long tokens = trainCounts.tokens + valCounts.tokens;
    LOG.info(
        String.format(
            Locale.ROOT,
            "tokenize: %,d tokens of %,d documents in %.1f s (%,.0f tokens/s)",
            tokens,
            documents,
            seconds,
            tokens / Math.max(seconds, 1e-9)));

    List<FileDigest> files = new ArrayList<>();
    for (String name :
        List.of(TokenizerJsonWriter.TOKENIZER_JSON, TokenizerJsonWriter.TOKENIZER_CONFIG_JSON)) {
      files.add(FileDigest.of(dir, name));
    }
    for (String split : List.of(DatasetInfo.TRAIN, DatasetInfo.VAL)) {
      for (String name :
          List.of(SplitFiles.TOKENS, SplitFiles.SENTENCE_OFFSETS, SplitFiles.DOCUMENT_OFFSETS)) {
        files.add(FileDigest.of(dir, split + "/" + name));
      }
    }
    TokenCounts measured = valCounts.tokens > 0 ? valCounts : trainCounts;
    DatasetInfo info =
        new DatasetInfo(
            DatasetInfo.FORMAT_VERSION,
            Instant.now().toString(),
            settings.inputs().stream().map(Path::toString).toList(),
            settings.seed(),
            settings.maxSeqLen(),
            settings.valFraction(),
            new DatasetInfo.CorpusSummary(
                corpusStats.files,
                corpusStats.documents,
                corpusStats.skippedPages,
                corpusStats.replacedBytes,
                corpusStats.defusedSentences),
            splits,
            new DatasetInfo.TokenizerSummary(
                vocabulary.size(),
                measured.unkRate(),
                measured.tokensPerWord(),
                trainCounts.unkRate(),
                settings.mergeScore().name().toLowerCase(Locale.ROOT)),
            files);
    Json.write(dir.resolve(DatasetInfo.FILE), info);
    return info;
  }

  /**
   * Pass 1: every input, cleaned and split, into one text file in BERT's format; sentences whose
   * letters are less than {@code minHangulShare} Hangul are dropped (mixed corpora such as
   * translated help pages keep English leftovers). Cleaning, splitting and formatting run on {@code
   * threads} threads, the file is written in corpus order. Returns the document count.
   */
  private static int writeCleanText(
      List<Path> inputs,
      Path text,
      double minHangulShare,
      int maxRecordChars,
      CorpusStats stats,
      int threads)
      throws IOException {
    int[] documents = {0};
    long[] sentences = {0};
    long totalBytes = Corpus.inputBytes(inputs);
    long started = System.nanoTime();
    try (BufferedWriter out =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(text), StandardCharsets.UTF_8),
                1 << 16);
        ProgressBar bar = Progress.bytes("read corpus", totalBytes)) {
      Corpus.read(
          inputs,
          threads,
          doc -> formatDocument(doc, minHangulShare),
          block -> {
            bar.stepTo(stats.inputBytesRead.get());
            if (block.sentences() == 0) {
              return;
            }
            try {
              out.write(block.text());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            documents[0]++;
            sentences[0] += block.sentences();
          },
          stats,
          maxRecordChars);
      bar.stepTo(stats.inputBytesRead.get());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    double seconds = seconds(started);
    LOG.info(
        String.format(
            Locale.ROOT,
            "read corpus: %,d documents, %,d sentences from %.1f MB in %.1f s (%.1f MB/s)",
            documents[0],
            sentences[0],
            stats.inputBytesRead.get() / 1e6,
            seconds,
            stats.inputBytesRead.get() / 1e6 / Math.max(seconds, 1e-9)));
    return documents[0];
  }

  /** A document's kept sentences as lines of the scratch file, then a blank line. */
  private record TextBlock(String text, int sentences) {}

  private static TextBlock formatDocument(Document doc, double minHangulShare) {
    StringBuilder block = new StringBuilder();
    int kept = 0;
    for (String sentence : doc.sentences()) {
      if (hangulShare(sentence) >= minHangulShare) {
        block.append(sentence.replace('\n', ' ').replace('\r', ' ')).append('\n');
        kept++;
      }
    }
    return new TextBlock(block.append('\n').toString(), kept);
  }

  /**
   * Collects the garbage of the stage that just ended, so that the JVM shrinks its heap and gives
   * the memory back before the next stage: each stage's peak then starts from little, instead of
   * from the heap the previous stage grew (the word counts and the merge tables are large and
   * short-lived).
   */
  private static void returnMemory() {
    System.gc();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static boolean hasTrue(boolean[] values) {
    for (boolean value : values) {
      if (value) {
        return true;
      }
    }
    return false;
  }

  /**
   * Share of the letters of a text that are Hangul (syllables or jamo); 0 for a text without
   * letters.
   */
  static double hangulShare(String text) {
    int letters = 0;
    int hangul = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetter(c)) {
        letters++;
        if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL) {
          hangul++;
        }
      }
    }
    return letters == 0 ? 0 : (double) hangul / letters;
  }

  private static void readCleanText(Path text, java.util.function.Consumer<Document> sink)
      throws IOException {
    // our own scratch file: its lines are sentences of records already within the cap
    new PlainTextReader().read(text, sink, new CorpusStats(), Integer.MAX_VALUE);
  }

  /**
   * Exactly {@code round(n * fraction)} validation documents (at least one when the fraction is
   * positive and there are two documents or more, never all), chosen by a seeded shuffle.
   */
  static boolean[] chooseValidationDocuments(int documents, double fraction, long seed) {
    boolean[] validation = new boolean[documents];
    if (fraction == 0) {
      return validation;
    }
    if (documents < 2) {
      throw new IllegalArgumentException(
          "the corpus has only one document: a validation split needs two or more (or use"
              + " --val-fraction 0)");
    }
    int count = (int) Math.min(documents - 1, Math.max(1, Math.round(documents * fraction)));
    int[] order = Shuffle.permutation(documents, new SplittableRandom(seed));
    for (int i = 0; i < count; i++) {
      validation[order[i]] = true;
    }
    return validation;
  }

  /**
   * Pass 2: the words of the training documents counted on {@code threads} threads into bounded
   * {@link WordCounts} (spilled to {@code runs} when large), then WordPiece learnt from the most
   * frequent {@code wordPieceWords} of them.
   */
  private static Vocabulary trainVocabulary(
      Path text,
      boolean[] validation,
      int vocabSize,
      WordPieceTrainer.MergeScore mergeScore,
      int wordPieceWords,
      Path runs,
      int threads)
      throws IOException {
    WordPieceTrainer trainer =
        new WordPieceTrainer(vocabSize, MIN_CHAR_FREQUENCY, MIN_PAIR_FREQUENCY, mergeScore);
    long started = System.nanoTime();
    WordCounts.Summary counted;
    try (WordCounts counts = new WordCounts(runs, MAX_WORDS_IN_MEMORY);
        ProgressBar bar = Progress.bar("count words", validation.length, "docs");
        OrderedWork<Map<String, long[]>> work =
            new OrderedWork<>(threads, "count-words", counts::addAll)) {
      int[] index = {0};
      int[] batchDocuments = {0};
      List<String> batch = new ArrayList<>();
      readCleanText(
          text,
          doc -> {
            if (!validation[index[0]++]) {
              batch.addAll(doc.sentences());
            }
            bar.step();
            if (++batchDocuments[0] == BATCH_DOCUMENTS) {
              List<String> sentences = List.copyOf(batch);
              batch.clear();
              batchDocuments[0] = 0;
              work.submit(() -> WordCounts.countWords(sentences));
            }
          });
      List<String> rest = List.copyOf(batch);
      work.submit(() -> WordCounts.countWords(rest));
      work.finish();
      counted = counts.finish(wordPieceWords);
      LOG.info(
          String.format(
              Locale.ROOT,
              "count words: %,d words, %,d distinct (%d spills to disk), WordPiece learns from the"
                  + " %,d most frequent; %.1f s",
              counted.totalWords(),
              counted.distinctWords(),
              counts.spills(),
              counted.words().size(),
              seconds(started)));
    }
    returnMemory();
    started = System.nanoTime();
    Vocabulary vocabulary = trainer.train(counted);
    LOG.info(
        String.format(
            Locale.ROOT,
            "learn vocabulary: %,d tokens in %.1f s",
            vocabulary.size(),
            seconds(started)));
    return vocabulary;
  }

  /** The sentences of some documents tokenized; the costly part of pass 3, for any thread. */
  private static List<TokenizedDocument> tokenize(
      BertTokenizer tokenizer, List<Document> docs, List<Boolean> validation, boolean trainWords) {
    List<TokenizedDocument> out = new ArrayList<>(docs.size());
    for (int d = 0; d < docs.size(); d++) {
      boolean isVal = validation.get(d);
      List<int[]> ids = new ArrayList<>(docs.get(d).sentences().size());
      long words = 0;
      for (String sentence : docs.get(d).sentences()) {
        int[] withSpecials = tokenizer.encode(sentence).ids(); // [CLS] ... [SEP]
        ids.add(Arrays.copyOfRange(withSpecials, 1, withSpecials.length - 1));
        if (isVal || trainWords) {
          words += BertPreTokenizer.words(sentence).size();
        }
      }
      out.add(new TokenizedDocument(isVal, ids, words));
    }
    return out;
  }

  /** One document's token ids and word count, and which split it goes to. */
  private record TokenizedDocument(boolean validation, List<int[]> ids, long words) {}

  private static void checkOutputFolder(Path out) throws IOException {
    if (Files.isRegularFile(out)) {
      throw new IllegalArgumentException("output " + out + " is a file, not a folder");
    }
    if (FileTrees.isNonEmptyFolder(out)) {
      throw new IllegalArgumentException(
          "output folder " + out + " is not empty: choose a new --out or remove it");
    }
  }

  /** [UNK] and tokens-per-word figures of one split. */
  private static final class TokenCounts {
    long words;
    long tokens;
    long unknown;

    void add(TokenizedDocument doc) {
      words += doc.words();
      for (int[] sentence : doc.ids()) {
        tokens += sentence.length;
        for (int id : sentence) {
          unknown += id == SpecialTokens.UNK_ID ? 1 : 0;
        }
      }
    }

    double unkRate() {
      return tokens == 0 ? 0 : (double) unknown / tokens;
    }

    double tokensPerWord() {
      return words == 0 ? 0 : (double) tokens / words;
    }
  }
}
