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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Fsync;
import org.minibert.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a run: {@code RUN/checkpoints/step-NNNNNNNNN/} holds the model parameters ({@code
 * model.params}, DJL's format), the optimizer state ({@code optimizer.bin}), {@code state.json} and
 * {@code files.json} (the size and SHA-256 of the other three); {@code RUN/checkpoint.json} points
 * at the newest complete one.
 *
 * <p>Crash safety: a checkpoint folder is written completely under a temporary name, synced to the
 * disk, renamed, and only then is the pointer rewritten (atomically); a step saved twice gets a new
 * folder ({@code step-NNNNNNNNN-2}), so the folder the pointer names is never touched. The last two
 * checkpoints are kept, older ones deleted last. {@link #latest} checks the files against {@code
 * files.json} and falls back to the older checkpoint when the newer is damaged.
 */
public final class Checkpoint {
  public static final String POINTER = "checkpoint.json";
  public static final String FOLDER = "checkpoints";
  public static final String MODEL_PARAMS = "model.params";
  static final String OPTIMIZER = "optimizer.bin";
  static final String STATE = "state.json";
  static final String FILES = "files.json";

  /**
   * Test hook for the crash tests: milliseconds to wait after a checkpoint is written and before it
   * is renamed into place, so a test can kill the process in the middle of a save. 0 in normal use.
   */
  static final String PAUSE_PROPERTY = "minibert.checkpoint.pause-before-rename-ms";

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
  private static final Pattern NAME = Pattern.compile("step-(\\d{9})(?:-(\\d+))?");

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

  /** The content of a checkpoint's {@code files.json}. */
  record FileList(List<FileDigest> files) {}

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
    save(runDir, model, optimizer, state, Checkpoint::pauseForTests);
  }

  /**
   * Like {@link #save(Path, Block, OptimizerState, State)}; {@code beforeRename} runs when the new
   * checkpoint is complete under its temporary name (a test throws there to simulate a crash).
   */
  static void save(
      Path runDir, Block model, OptimizerState optimizer, State state, Runnable beforeRename)
      throws IOException {
    Path folders = runDir.resolve(FOLDER);
    Files.createDirectories(folders);
    deleteTemporaries(folders);
    String name = freeName(folders, state.step());
    Path folder = folders.resolve(name);
    Path tmp = folders.resolve(AtomicFiles.TEMP_PREFIX + name + "-" + UUID.randomUUID());
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
    List<FileDigest> files = new ArrayList<>();
    for (String f : List.of(MODEL_PARAMS, OPTIMIZER, STATE)) {
      files.add(FileDigest.of(tmp, f));
    }
    Json.write(tmp.resolve(FILES), new FileList(files));
    Fsync.tree(tmp);
    beforeRename.run();
    AtomicFiles.move(tmp, folder);
    Optional<Path> previous = pointed(runDir);
    Json.write(runDir.resolve(POINTER), new Pointer(FOLDER + "/" + name, state.step()));
    try (Stream<Path> others = Files.list(folders)) {
      for (Path old : others.toList()) {
        if (!old.equals(folder) && !previous.map(old::equals).orElse(false)) {
          FileTrees.deleteRecursively(old);
        }
      }
    }
  }

  /**
   * The newest intact checkpoint of a run, if it has one: the one the pointer names, or, when that
   * one is missing or damaged, the newest older one that is intact (with a warning).
   *
   * @throws IOException when the run has a pointer but no intact checkpoint
   */
  public static Optional<Path> latest(Path runDir) throws IOException {
    Path pointer = runDir.resolve(POINTER);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    pointed(runDir).ifPresent(candidates::add);
    Path folders = runDir.resolve(FOLDER);
    if (Files.isDirectory(folders)) {
      try (Stream<Path> all = Files.list(folders)) {
        all.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
            .filter(p -> !candidates.contains(p))
            .sorted(Comparator.comparing(Checkpoint::order).reversed())
            .forEach(candidates::add);
      }
    }
    List<String> problems = new ArrayList<>();
    for (Path candidate : candidates) {
      String problem = problem(candidate);
      if (problem == null) {
        if (!problems.isEmpty()) {
          LOG.warn("{}; using the older checkpoint {}", String.join("; ", problems), candidate);
        }
        return Optional.of(candidate);
      }
      problems.add(problem);
    }
    throw new IOException(
        "run "
            + runDir
            + " has no intact checkpoint"
            + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
  }

  /** The folder the pointer names, if the pointer can be read. */
  private static Optional<Path> pointed(Path runDir) {
    Path pointer = runDir.resolve(POINTER);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    try {
      String path = Json.read(pointer, Pointer.class).path();
      return path == null ? Optional.empty() : Optional.of(runDir.resolve(path));
    } catch (IOException e) {
      LOG.warn(
          "{} is unreadable ({}): looking for the newest intact checkpoint",
          pointer,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Why a checkpoint folder cannot be used, or null when it is intact. */
  static String problem(Path folder) {
    try {
      Path list = folder.resolve(FILES);
      if (!Files.isRegularFile(list)) {
        // a checkpoint from before files.json: complete when its files are there
        return Files.isRegularFile(folder.resolve(MODEL_PARAMS))
                && Files.isRegularFile(folder.resolve(STATE))
            ? null
            : "checkpoint " + folder + " is incomplete";
      }
      for (FileDigest f : Json.read(list, FileList.class).files()) {
        if (!f.matches(folder)) {
          return "checkpoint "
              + folder
              + " is damaged: "
              + f.path()
              + " does not match its checksum";
        }
      }
      return null;
    } catch (IOException e) {
      return "checkpoint " + folder + " is unreadable: " + e.getMessage();
    }
  }

  /** {@code step-NNNNNNNNN}, or with a counter when that step was saved before. */
  private static String freeName(Path folders, long step) {
    String base = String.format("step-%09d", step);
    String name = base;
    for (int n = 2; Files.exists(folders.resolve(name)); n++) {
      name = base + "-" + n;
    }
    return name;
  }

  /** Sorts checkpoint folders by step, then by their counter. */
  private static long order(Path folder) {
    Matcher m = NAME.matcher(folder.getFileName().toString());
    if (!m.matches()) {
      return -1;
    }
    long n = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
    return Long.parseLong(m.group(1)) * 1_000_000L + n;
  }

  private static void deleteTemporaries(Path folders) throws IOException {
    try (Stream<Path> all = Files.list(folders)) {
      for (Path p : all.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX) || name.endsWith(".tmp")) {
          FileTrees.deleteRecursively(p);
        }
      }
    }
  }

  private static void pauseForTests() {
    long ms = Long.getLong(PAUSE_PROPERTY, 0);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
