package org.minibert.trainer.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Measures pre-training throughput: full training steps (forward, loss, backward, AdamW update) on synthetic batches of
 * random token ids, 20 masked positions per sequence, and prints the median sequences per second and the process's
 * resident memory.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp trainer-service/target/trainer-service.jar org.minibert.trainer.model.ModelBenchmark \
 *   [config=deep-6L-96D] [steps=30] [batch=16] [length=128] [vocab=8000]
 * </pre>
 *
 * The PyTorch thread counts are read once, when the engine starts, so they are JVM options, not arguments.
 */
public final class ModelBenchmark {

  private static final int MASKED_PER_SEQUENCE = 20;
  private static final int WARMUP_STEPS = 5;

  private ModelBenchmark() {}

  public static void main(String[] args) throws IOException {
    String configName = args.length > 0 ? args[0] : "deep-6L-96D";
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int length = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int vocab = args.length > 4 ? Integer.parseInt(args[4]) : 8000;

    BertForPreTraining bert = new BertForPreTraining(BertConfig.resolve(configName).withVocabSize(vocab));
    var trainingConfig = new DefaultTrainingConfig(new PreTrainingLoss())
        .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build());
    double[] rates = new double[steps];
    float lastLoss = Float.NaN;
    try (Model model = Model.newInstance("minibert-benchmark");
        Trainer trainer = newTrainer(model, bert, trainingConfig, batch, length)) {
      Random random = new Random(42);
      for (int step = -WARMUP_STEPS; step < steps; step++) {
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
          NDList[] inputsAndLabels = syntheticBatch(batchManager, random, batch, length, vocab);
          long start = System.nanoTime();
          NDArray loss;
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(inputsAndLabels[0], inputsAndLabels[1]);
            loss = trainer.getLoss().evaluate(inputsAndLabels[1], predictions);
            collector.backward(loss);
          }
          trainer.step();
          lastLoss = loss.getFloat(); // PyTorch on the CPU is synchronous; this only reads the value
          if (step >= 0) {
            rates[step] = batch / ((System.nanoTime() - start) / 1e9);
          }
        }
      }
    }
    Arrays.sort(rates);
    System.out.printf("%s: %,d parameters, batch %d x %d, PyTorch threads intra-op %s, inter-op %s%n", configName,
        bert.parameterCount(), batch, length, System.getProperty("ai.djl.pytorch.num_threads", "default"),
        System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    System.out.printf("median %.1f seq/s (min %.1f, max %.1f) over %d steps, last loss %.3f, %s%n",
        rates[steps / 2], rates[0], rates[steps - 1], steps, lastLoss, memory());
  }

  private static Trainer newTrainer(Model model, BertForPreTraining bert, DefaultTrainingConfig config, int batch,
      int length) {
    model.setBlock(bert);
    Trainer trainer = model.newTrainer(config);
    trainer.initialize(BertForPreTraining.inputShapes(batch, length, MASKED_PER_SEQUENCE));
    return trainer;
  }

  /** {inputs, labels} of a random pre-training batch with no padding (the worst case for attention). */
  private static NDList[] syntheticBatch(NDManager manager, Random random, int batch, int length, int vocab) {
    long[] ids = new long[batch * length];
    long[] types = new long[batch * length];
    long[] positions = new long[batch * MASKED_PER_SEQUENCE];
    long[] labels = new long[batch * MASKED_PER_SEQUENCE];
    long[] nextSentence = new long[batch];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        ids[b * length + t] = 5 + random.nextInt(vocab - 5);
        types[b * length + t] = t < length / 2 ? 0 : 1;
      }
      int[] picked = random.ints(1, length).distinct().limit(MASKED_PER_SEQUENCE).sorted().toArray();
      for (int p = 0; p < MASKED_PER_SEQUENCE; p++) {
        positions[b * MASKED_PER_SEQUENCE + p] = picked[p];
        labels[b * MASKED_PER_SEQUENCE + p] = ids[b * length + picked[p]];
      }
      nextSentence[b] = random.nextInt(2);
    }
    Shape tokens = new Shape(batch, length);
    Shape masked = new Shape(batch, MASKED_PER_SEQUENCE);
    NDList inputs = new NDList(
        manager.create(ids, tokens),
        manager.create(types, tokens),
        manager.ones(tokens, DataType.INT64),
        manager.create(positions, masked));
    NDList targets = new NDList(
        manager.create(labels, masked),
        manager.ones(masked, DataType.FLOAT32),
        manager.create(nextSentence));
    return new NDList[] {inputs, targets};
  }

  private static String memory() throws IOException {
    String status = Files.readString(Path.of("/proc/self/status"));
    return field(status, "VmRSS") + " resident, peak " + field(status, "VmHWM");
  }

  private static String field(String status, String name) {
    return status.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1).trim())
        .findFirst().orElse("?");
  }
}
