package org.minibert.trainer.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;
import org.minibert.trainer.tokenizer.Vocabulary;
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
 *       measured on text the tokenizer never saw.
 *   <li>Tokenize every document through the written {@code tokenizer.json} (the same code path as
 *       serving) into the split files.
 *   <li>Write {@code dataset.json} with counts, tokenizer figures and checksums.
 * </ol>
 *
 * Everything is built in {@code OUT.partial} and renamed to {@code OUT} at the end: a folder named
 * OUT is always complete, and a failed run leaves nothing that looks like one.
 */
public final class DatasetPreparer {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparer.class);
  private static final String SCRATCH_TEXT = "corpus.txt";
  private static final int MIN_CHAR_FREQUENCY = 2;
  private static final int MIN_PAIR_FREQUENCY = 2;
  private static final int TOKENIZE_BATCH_SENTENCES = 2048;

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
      WordPieceTrainer.MergeScore mergeScore) {
    public static final int DEFAULT_VOCAB_SIZE = 8000;
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
    Path text = dir.resolve(SCRATCH_TEXT);
    CorpusStats corpusStats = new CorpusStats();
    int documents =
        writeCleanText(
            settings.inputs(),
            text,
            settings.minHangulShare(),
            settings.maxRecordChars(),
            corpusStats);
    if (documents == 0) {
      throw new IllegalArgumentException("empty corpus: no text found in " + settings.inputs());
    }
    boolean[] validation =
        chooseValidationDocuments(documents, settings.valFraction(), settings.seed());

    Vocabulary vocabulary =
        trainVocabulary(text, validation, settings.vocabSize(), settings.mergeScore());
    TokenizerJsonWriter.write(vocabulary, settings.maxSeqLen(), dir);

    Map<String, DatasetInfo.SplitSummary> splits = new LinkedHashMap<>();
    TokenCounts trainCounts = new TokenCounts();
    TokenCounts valCounts = new TokenCounts();
    try (BertTokenizer tokenizer =
            BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON));
        SplitWriter train = new SplitWriter(new SplitFiles(dir.resolve(DatasetInfo.TRAIN)));
        SplitWriter val = new SplitWriter(new SplitFiles(dir.resolve(DatasetInfo.VAL)));
        ProgressBar bar = Progress.bar("tokenize", documents, "docs")) {
      int[] index = {0};
      readCleanText(
          text,
          doc -> {
            boolean isVal = validation[index[0]++];
            List<int[]> ids = tokenizer.encodeBatch(doc.sentences());
            (isVal ? valCounts : trainCounts).add(doc.sentences(), ids);
            (isVal ? val : train).addDocument(ids);
            bar.step();
          });
      splits.put(
          DatasetInfo.TRAIN,
          new DatasetInfo.SplitSummary(
              train.documentCount(), train.sentenceCount(), train.tokenCount()));
      splits.put(
          DatasetInfo.VAL,
          new DatasetInfo.SplitSummary(val.documentCount(), val.sentenceCount(), val.tokenCount()));
    }
    Files.delete(text);

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
   * translated help pages keep English leftovers). Returns the document count.
   */
  private static int writeCleanText(
      List<Path> inputs, Path text, double minHangulShare, int maxRecordChars, CorpusStats stats)
      throws IOException {
    int[] documents = {0};
    try (BufferedWriter out = Files.newBufferedWriter(text, StandardCharsets.UTF_8);
        ProgressBar bar = Progress.bar("read corpus", -1, "docs")) {
      Corpus.read(
          inputs,
          doc -> {
            List<String> kept =
                doc.sentences().stream()
                    .filter(sentence -> hangulShare(sentence) >= minHangulShare)
                    .toList();
            bar.step();
            if (kept.isEmpty()) {
              return;
            }
            try {
              for (String sentence : kept) {
                out.write(sentence.replace('\n', ' ').replace('\r', ' '));
                out.write('\n');
              }
              out.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            documents[0]++;
          },
          stats,
          maxRecordChars);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return documents[0];
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

  private static Vocabulary trainVocabulary(
      Path text, boolean[] validation, int vocabSize, WordPieceTrainer.MergeScore mergeScore)
      throws IOException {
    WordPieceTrainer trainer =
        new WordPieceTrainer(vocabSize, MIN_CHAR_FREQUENCY, MIN_PAIR_FREQUENCY, mergeScore);
    int[] index = {0};
    try (ProgressBar bar = Progress.bar("count words", validation.length, "docs")) {
      readCleanText(
          text,
          doc -> {
            if (!validation[index[0]++]) {
              doc.sentences().forEach(trainer::addText);
            }
            bar.step();
          });
    }
    long started = System.nanoTime();
    Vocabulary vocabulary = trainer.train();
    LOG.info(
        "WordPiece vocabulary of {} tokens learnt in {} ms",
        vocabulary.size(),
        (System.nanoTime() - started) / 1_000_000);
    return vocabulary;
  }

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

    void add(List<String> sentences, List<int[]> ids) {
      for (String sentence : sentences) {
        words += BertPreTokenizer.words(sentence).size();
      }
      for (int[] sentence : ids) {
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
