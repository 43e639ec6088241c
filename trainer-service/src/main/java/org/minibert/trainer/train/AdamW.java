package org.minibert.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.minibert.trainer.run.Checkpoint;

/**
 * AdamW (Loshchilov & Hutter) with decoupled weight decay, skipped for the parameters the caller
 * names (biases and LayerNorm, as BERT does), plus gradient clipping by global norm.
 *
 * <p>Written here rather than taken from DJL's {@code Optimizer} family because the trainer needs
 * what those keep private: per-parameter decay, the global gradient norm (to skip steps with a
 * non-finite gradient), and the moment estimates in a checkpoint, so a resumed run continues
 * exactly where it stopped.
 *
 * <p>Updates run outside the gradient collector (PyTorch's no-grad mode), in place on the parameter
 * arrays, with the engine's fused Adam kernel (one native call per parameter; writing the update as
 * separate array operations made a temporary per operation and raised the resident memory by a
 * third).
 */
public final class AdamW implements AutoCloseable, Checkpoint.OptimizerState {
  private final Map<String, Parameter> parameters;
  private final Predicate<String> decayed;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final NDManager manager;
  private long updates;

  /**
   * @param parameters the trainable parameters by stable name, in a fixed order
   * @param decayed which parameter names get weight decay
   */
  public AdamW(
      NDManager parent,
      Map<String, Parameter> parameters,
      Predicate<String> decayed,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay) {
    this.parameters = parameters;
    this.decayed = decayed;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
    parameters.forEach(
        (name, p) -> {
          firstMoments.put(name, p.getArray().zerosLike());
          secondMoments.put(name, p.getArray().zerosLike());
        });
    firstMoments.values().forEach(a -> a.attach(manager));
    secondMoments.values().forEach(a -> a.attach(manager));
  }

  /**
   * BERT's betas 0.9/0.999 and epsilon 1e-6 with the given decoupled weight decay (BERT's is 0.01).
   */
  public static AdamW bert(
      NDManager parent,
      Map<String, Parameter> parameters,
      Predicate<String> decayed,
      double weightDecay) {
    return new AdamW(parent, parameters, decayed, 0.9, 0.999, 1e-6, weightDecay);
  }

  /**
   * The L2 norm of all gradients together; NaN or infinite when any gradient is. One device sync.
   */
  public double gradientNorm() {
    try (NDManager scope = manager.newSubManager()) {
      NDArray sum = null;
      for (Parameter p : parameters.values()) {
        NDArray squares = gradient(p, scope).square().sum();
        sum = sum == null ? squares : sum.add(squares);
      }
      return sum == null ? 0 : Math.sqrt(sum.getFloat());
    }
  }

  /**
   * One update with learning rate {@code lr}; gradients are first scaled by {@code gradientScale}
   * (clipping), and zeroed afterwards.
   */
  public void step(double lr, double gradientScale) {
    updates++;
    double correction1 = 1 - Math.pow(beta1, updates);
    double correction2 = 1 - Math.pow(beta2, updates);
    float stepSize = (float) (lr * Math.sqrt(correction2) / correction1);
    try (NDManager scope = manager.newSubManager()) {
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        String name = e.getKey();
        NDArray weight = e.getValue().getArray();
        NDArray grad = gradient(e.getValue(), scope);
        float decay = decayed.test(name) ? (float) weightDecay : 0f;
        // the engine's fused kernel: m, v and the weight updated in place, decoupled decay, the
        // gradient rescaled
        // (clipping) and then zeroed
        weight
            .getNDArrayInternal()
            .adamUpdate(
                new NDList(weight, grad, firstMoments.get(name), secondMoments.get(name)),
                new NDList(weight),
                (float) lr,
                stepSize,
                decay,
                (float) gradientScale,
                -1f,
                (float) beta1,
                (float) beta2,
                (float) epsilon,
                true,
                true);
      }
    }
  }

  /** Zeroes every gradient (backward passes accumulate into them): for a step that is skipped. */
  public void zeroGradients() {
    try (NDManager scope = manager.newSubManager()) {
      for (Parameter p : parameters.values()) {
        NDArray grad = gradient(p, scope);
        grad.subi(grad);
      }
    }
  }

  /**
   * The gradient of a parameter. Each call makes a new array handle (on the same storage), attached
   * to {@code scope} so that closing the scope releases it.
   */
  private static NDArray gradient(Parameter p, NDManager scope) {
    NDArray grad = p.getArray().getGradient();
    grad.attach(scope);
    return grad;
  }

  public long updates() {
    return updates;
  }

  /** Writes the step count and both moment estimates of every parameter. */
  @Override
  public void save(OutputStream out) throws IOException {
    NDList list = new NDList();
    for (String name : parameters.keySet()) {
      NDArray m = firstMoments.get(name);
      m.setName("m/" + name);
      NDArray v = secondMoments.get(name);
      v.setName("v/" + name);
      list.add(m);
      list.add(v);
    }
    NDArray count = manager.create(new long[] {updates});
    count.setName("updates");
    list.add(count);
    list.encode(out);
    count.close();
  }

  /** Restores what {@link #save} wrote; the parameter names and shapes must match. */
  @Override
  public void load(InputStream in) throws IOException {
    try (NDManager scope = manager.newSubManager()) {
      NDList list = NDList.decode(scope, in);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : list) {
        byName.put(a.getName(), a);
      }
      for (String name : parameters.keySet()) {
        copyInto(byName.get("m/" + name), firstMoments.get(name), "m/" + name);
        copyInto(byName.get("v/" + name), secondMoments.get(name), "v/" + name);
      }
      NDArray count = byName.get("updates");
      if (count == null) {
        throw new IOException("optimizer state has no update count");
      }
      updates = count.getLong();
    }
  }

  private static void copyInto(NDArray saved, NDArray target, String name) throws IOException {
    if (saved == null || !saved.getShape().equals(target.getShape())) {
      throw new IOException("optimizer state does not match the model at " + name);
    }
    saved.toDevice(target.getDevice(), false).copyTo(target);
  }

  @Override
  public void close() {
    manager.close();
  }
}
