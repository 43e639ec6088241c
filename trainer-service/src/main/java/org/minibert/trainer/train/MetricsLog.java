package org.minibert.trainer.train;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.Json;

/**
 * {@code RUN/metrics.jsonl} (one JSON object per line, flushed as written, so a crash loses nothing
 * already logged) and its CSV twin {@code RUN/metrics.csv}, rewritten from the records on {@link
 * #writeCsv}.
 */
public final class MetricsLog implements AutoCloseable {
  public static final String JSONL = "metrics.jsonl";
  public static final String CSV = "metrics.csv";

  private final Path runDir;
  private final List<MetricsRecord> records;
  private final BufferedWriter out;

  private MetricsLog(Path runDir, List<MetricsRecord> records) throws IOException {
    this.runDir = runDir;
    this.records = records;
    this.out =
        Files.newBufferedWriter(
            runDir.resolve(JSONL),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
  }

  /** Starts a new log in an empty run folder. */
  public static MetricsLog create(Path runDir) throws IOException {
    Files.deleteIfExists(runDir.resolve(JSONL));
    return new MetricsLog(runDir, new ArrayList<>());
  }

  /**
   * Reopens the log of a resumed run: records up to {@code lastStep} (the checkpoint) are kept,
   * later ones, written after the checkpoint by the interrupted run, are dropped so they are not
   * logged twice.
   */
  public static MetricsLog resume(Path runDir, long lastStep) throws IOException {
    List<MetricsRecord> kept = new ArrayList<>();
    for (MetricsRecord r : read(runDir.resolve(JSONL))) {
      if (r.step() <= lastStep) {
        kept.add(r);
      }
    }
    StringBuilder text = new StringBuilder();
    for (MetricsRecord r : kept) {
      text.append(Json.toLine(r)).append('\n');
    }
    AtomicFiles.writeString(runDir.resolve(JSONL), text.toString());
    return new MetricsLog(runDir, kept);
  }

  /** Every record of a metrics.jsonl file; a last line torn by a crash is ignored. */
  public static List<MetricsRecord> read(Path jsonl) throws IOException {
    List<MetricsRecord> records = new ArrayList<>();
    if (!Files.exists(jsonl)) {
      return records;
    }
    try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(Json.MAPPER.readValue(line, MetricsRecord.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          if (in.ready()) {
            throw new IOException(
                "damaged metrics file " + jsonl + ": " + e.getOriginalMessage(), e);
          }
        }
      }
    }
    return records;
  }

  public void append(MetricsRecord record) {
    try {
      out.write(Json.toLine(record));
      out.write('\n');
      out.flush();
      records.add(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<MetricsRecord> records() {
    return List.copyOf(records);
  }

  /** Rewrites metrics.csv from all records. */
  public void writeCsv() throws IOException {
    StringBuilder csv = new StringBuilder(MetricsRecord.CSV_HEADER).append('\n');
    for (MetricsRecord r : records) {
      csv.append(r.toCsv()).append('\n');
    }
    AtomicFiles.writeString(runDir.resolve(CSV), csv.toString());
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
