package org.minibert.trainer.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.minibert.core.io.Json;
import org.minibert.trainer.model.BertConfig;

/**
 * {@code RUN/config.json}: the model configuration (vocabulary size filled in from the data set),
 * its exact parameter count, and the options the run was started with.
 */
public record RunConfig(
    int formatVersion,
    String createdAt,
    BertConfig model,
    long numParameters,
    TrainOptions training) {
  public static final String FILE = "config.json";
  public static final int FORMAT_VERSION = 1;

  public static RunConfig read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a training run: " + runDir + " has no " + FILE);
    }
    return Json.read(file, RunConfig.class);
  }

  public void write(Path runDir) throws IOException {
    Json.write(runDir.resolve(FILE), this);
  }
}
