package org.minibert.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer against AdamW's formulas, computed by hand for two steps. */
class AdamWTest {
  private static final double LR = 0.1;
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-6;
  private static final double WD = 0.01;

  @Test
  void twoStepsMatchTheFormulasWithDecayOnlyWhereAsked() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Parameter> params = new LinkedHashMap<>();
      params.put("w.weight", parameter(manager, "w.weight", 1.0f));
      params.put("w.bias", parameter(manager, "w.bias", 1.0f));
      try (AdamW adam =
          new AdamW(manager, params, name -> name.endsWith(".weight"), B1, B2, EPS, WD)) {
        double[] w = {1.0, 1.0};
        double[] m = {0, 0};
        double[] v = {0, 0};
        for (int t = 1; t <= 2; t++) {
          // loss = 3 * x^2 summed: gradient 6x
          backward(params);
          double scale = 0.5; // a clipped step
          adam.step(LR, scale);
          for (int i = 0; i < 2; i++) {
            double g = 6 * w[i] * scale;
            m[i] = B1 * m[i] + (1 - B1) * g;
            v[i] = B2 * v[i] + (1 - B2) * g * g;
            double mHat = m[i] / (1 - Math.pow(B1, t));
            double vHat = v[i] / (1 - Math.pow(B2, t));
            if (i == 0) {
              w[i] -= LR * WD * w[i];
            }
            w[i] -= LR * mHat / (Math.sqrt(vHat) + EPS);
          }
          assertThat((double) params.get("w.weight").getArray().getFloat())
              .isCloseTo(w[0], within(1e-5));
          assertThat((double) params.get("w.bias").getArray().getFloat())
              .isCloseTo(w[1], within(1e-5));
          assertThat(params.get("w.weight").getArray().getGradient().getFloat()).isZero();
        }

        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        adam.save(saved);
        try (AdamW restored = new AdamW(manager, params, name -> true, B1, B2, EPS, WD)) {
          restored.load(new ByteArrayInputStream(saved.toByteArray()));
          assertThat(restored.updates()).isEqualTo(2);
        }
      }
    }
  }

  @Test
  void gradientNormIsTheGlobalL2Norm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Parameter> params = new LinkedHashMap<>();
      params.put("a", parameter(manager, "a", 1.0f)); // gradient 6
      params.put("b", parameter(manager, "b", -2.0f)); // gradient -12
      backward(params);
      try (AdamW adam = AdamW.bert(manager, params, name -> true, WD)) {
        assertThat(adam.gradientNorm()).isCloseTo(Math.sqrt(36 + 144), within(1e-4));
        adam.zeroGradients();
        assertThat(adam.gradientNorm()).isZero();
      }
    }
  }

  private static Parameter parameter(NDManager manager, String name, float value) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray array = manager.create(new float[] {value});
    array.setRequiresGradient(true);
    p.setArray(array);
    return p;
  }

  private static void backward(Map<String, Parameter> params) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (Parameter p : params.values()) {
        NDArray term = p.getArray().square().mul(3).sum();
        loss = loss == null ? term : loss.add(term);
      }
      collector.backward(loss);
    }
  }
}
