package org.minibert.trainer.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.minibert.trainer.corpus.RecordLimits;
import org.minibert.trainer.data.DatasetInfo;
import org.minibert.trainer.data.DatasetPreparer;
import org.minibert.trainer.data.DatasetPreparer.Settings;
import org.minibert.trainer.tokenizer.WordPieceTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Corpus -> WordPiece tokenizer -> memory-mapped pre-training data.",
      "Inputs may mix MediaWiki XML dumps (.xml, .xml.bz2), plain text in BERT's format (.txt: one"
          + " sentence per line, a blank line between documents), JSON lines with a \"text\" field"
          + " (.jsonl) and HTML pages (.html, .htm); a folder is read recursively."
    })
public final class PrepareCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "Corpus files or folders.")
  List<Path> inputs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder (must not exist or be empty).")
  Path out;

  @Option(
      names = "--vocab-size",
      description =
          "WordPiece vocabulary size, special tokens included (default: ${DEFAULT-VALUE}).")
  int vocabSize = Settings.DEFAULT_VOCAB_SIZE;

  @Option(
      names = "--max-seq-len",
      description = "Longest model input in tokens (default: ${DEFAULT-VALUE}).")
  int maxSeqLen = Settings.DEFAULT_MAX_SEQ_LEN;

  @Option(
      names = "--val-fraction",
      description = "Share of documents held out for validation (default: ${DEFAULT-VALUE}).")
  double valFraction = Settings.DEFAULT_VAL_FRACTION;

  @Option(
      names = "--seed",
      description = "Seed of the train/validation split (default: ${DEFAULT-VALUE}).")
  long seed = Settings.DEFAULT_SEED;

  @Option(
      names = "--min-hangul-share",
      paramLabel = "R",
      description =
          "Drop sentences whose letters are less than this share Hangul, e.g. 0.5 for translated"
              + " help pages with English leftovers (default: ${DEFAULT-VALUE}: keep all).")
  double minHangulShare = Settings.DEFAULT_MIN_HANGUL_SHARE;

  @Option(
      names = "--merge-score",
      paramLabel = "frequency|likelihood",
      description =
          "How WordPiece picks the next merge: the most frequent pair (Hugging Face's trainer), or"
              + " likelihood: count(ab) / sqrt(count(a) x count(b)), smaller pieces (default:"
              + " ${DEFAULT-VALUE}).")
  WordPieceTrainer.MergeScore mergeScore = Settings.DEFAULT_MERGE_SCORE;

  @Option(
      names = "--max-record-chars",
      paramLabel = "N",
      description =
          "The most characters one record may hold (a text or JSON line, an XML text, an HTML"
              + " page); a longer one stops prepare with its place (default: ${DEFAULT-VALUE}).")
  int maxRecordChars = RecordLimits.DEFAULT_MAX_RECORD_CHARS;

  @Option(
      names = "--wordpiece-words",
      paramLabel = "N",
      description =
          "WordPiece learns its merges from the N most frequent words (all words are counted, in"
              + " bounded memory, and all choose the alphabet) (default: ${DEFAULT-VALUE}).")
  int wordPieceWords = Settings.DEFAULT_WORDPIECE_WORDS;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    DatasetInfo info =
        new DatasetPreparer()
            .prepare(
                new Settings(
                    inputs,
                    out,
                    vocabSize,
                    maxSeqLen,
                    valFraction,
                    seed,
                    minHangulShare,
                    maxRecordChars,
                    mergeScore,
                    threads.threads,
                    wordPieceWords));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    var o = spec.commandLine().getOut();
    o.printf("prepared %s in %.1f s%n", out, took.toMillis() / 1000.0);
    o.printf(
        "  corpus     %d files, %d documents, %d pages skipped, %d undecodable bytes replaced%n",
        info.corpus().files(),
        info.corpus().documents(),
        info.corpus().skippedPages(),
        info.corpus().replacedBytes());
    info.splits()
        .forEach(
            (name, s) ->
                o.printf(
                    "  %-10s %d documents, %d sentences, %d tokens%n",
                    name, s.documents(), s.sentences(), s.tokens()));
    var tokenizer = info.tokenizer();
    if (info.splits().get(DatasetInfo.VAL).tokens() == 0) {
      // --val-fraction 0: there is no held-out text, the figures are the training split's
      o.printf(
          "  tokenizer  %d tokens, %s merges; [UNK] rate %.3f%%, %.2f tokens per word (training"
              + " text: no held-out split)%n",
          tokenizer.vocabSize(),
          tokenizer.mergeScore(),
          100 * tokenizer.trainUnkRate(),
          tokenizer.tokensPerWord());
    } else {
      o.printf(
          "  tokenizer  %d tokens, %s merges; held-out [UNK] rate %.3f%%, %.2f tokens per word"
              + " (train [UNK] %.3f%%)%n",
          tokenizer.vocabSize(),
          tokenizer.mergeScore(),
          100 * tokenizer.unkRate(),
          tokenizer.tokensPerWord(),
          100 * tokenizer.trainUnkRate());
    }
    return 0;
  }
}
