package org.minibert.trainer.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;

/**
 * Checkpoints of a run: {@code RUN/checkpoints/step-NNNNNNNNN/} holds the model parameters ({@code
 * model.params}, DJL's format), the optimizer state ({@code optimizer.bin}) and {@code state.json};
 * {@code RUN/checkpoint.json} points at the newest complete one.
 *
 * <p>Crash safety: a checkpoint folder is written completely under a temporary name, renamed, and
 * only then is the pointer rewritten (atomically); older checkpoints are deleted last. A crash at
 * any moment leaves the pointer on a complete checkpoint.
 */
public final class Checkpoint {
  public static final String POINTER = "checkpoint.json";
  public static final String FOLDER = "checkpoints";
  public static final String MODEL_PARAMS = "model.params";
  static final String OPTIMIZER = "optimizer.bin";
  static final String STATE = "state.json";

  /**
   * Where training stands.
   *
   * @param step steps done (the index of the next step to run)
   * @param epoch the epoch of the next step (0-based)
   * @param elapsedS training seconds so far
   * @param skippedSteps steps skipped for a non-finite loss or gradient so far
   */
  public record State(long step, int epoch, double elapsedS, long skippedSteps) {}

  /** The content of {@code RUN/checkpoint.json}. */
  public record Pointer(String path, long step) {}

  /**
   * An optimizer whose state (moment estimates, update count) a checkpoint keeps, so a resumed run
   * continues exactly.
   */
  public interface OptimizerState {
    void save(OutputStream out) throws IOException;

    void load(InputStream in) throws IOException;
  }

  private Checkpoint() {}

  public static void save(Path runDir, Block model, OptimizerState optimizer, State state)
      throws IOException {
    String name = String.format("step-%09d", state.step());
    Path folder = runDir.resolve(FOLDER).resolve(name);
    Path tmp = runDir.resolve(FOLDER).resolve(name + ".tmp");
    FileTrees.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(Files.newOutputStream(tmp.resolve(MODEL_PARAMS))))) {
      model.saveParameters(out);
    }
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER)))) {
      optimizer.save(out);
    }
    Json.write(tmp.resolve(STATE), state);
    FileTrees.deleteRecursively(folder);
    Files.move(tmp, folder);
    Json.write(runDir.resolve(POINTER), new Pointer(FOLDER + "/" + name, state.step()));
    try (Stream<Path> others = Files.list(runDir.resolve(FOLDER))) {
      for (Path old : others.filter(p -> !p.equals(folder)).toList()) {
        FileTrees.deleteRecursively(old);
      }
    }
  }

  /** The newest complete checkpoint of a run, if it has one. */
  public static Optional<Path> latest(Path runDir) throws IOException {
    Path pointer = runDir.resolve(POINTER);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    Path folder = runDir.resolve(Json.read(pointer, Pointer.class).path());
    if (!Files.isRegularFile(folder.resolve(MODEL_PARAMS))
        || !Files.isRegularFile(folder.resolve(STATE))) {
      throw new IOException("checkpoint " + folder + " named by " + pointer + " is incomplete");
    }
    return Optional.of(folder);
  }

  public static State readState(Path checkpoint) throws IOException {
    return Json.read(checkpoint.resolve(STATE), State.class);
  }

  /**
   * Loads the model parameters of a checkpoint into an initialised model. Loading replaces the
   * parameter arrays, and the new ones do not track gradients: they are switched back on so
   * training can continue.
   */
  public static void loadModel(Path checkpoint, Block model, NDManager manager) throws IOException {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(checkpoint.resolve(MODEL_PARAMS))))) {
      model.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new IOException(
          "checkpoint " + checkpoint + " does not fit this model: " + e.getMessage(), e);
    }
    model.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
  }

  public static void loadOptimizer(Path checkpoint, OptimizerState optimizer) throws IOException {
    try (InputStream in =
        new BufferedInputStream(Files.newInputStream(checkpoint.resolve(OPTIMIZER)))) {
      optimizer.load(in);
    }
  }
}
