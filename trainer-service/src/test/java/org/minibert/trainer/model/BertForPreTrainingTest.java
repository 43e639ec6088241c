package org.minibert.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.trainer.train.AdamW;

/** The model on tiny configs (2 layers x 32 wide, vocabulary 100), all on the CPU. */
class BertForPreTrainingTest {

  private static final int VOCAB = 100;
  private static final int CLS = 1;
  private static final int SEP = 2;
  private static final int MASK = 3;

  private NDManager manager;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static BertConfig tiny(double dropout) {
    return new BertConfig("tiny", VOCAB, 32, 2, 2, 64, 16, 2, dropout, dropout, 1e-12, 0.02);
  }

  private BertForPreTraining initialized(BertConfig config) {
    BertForPreTraining bert = new BertForPreTraining(config);
    bert.initialize(manager);
    return bert;
  }

  @Test
  void shippedConfigsHaveTheDocumentedParameterCounts() {
    Map<String, Long> expected =
        Map.of(
            "standard-2L-128D", 1_478_978L,
            "deep-6L-96D", 1_478_722L,
            "shallow-1L-144D", 1_472_050L);
    expected.forEach(
        (name, count) -> {
          BertForPreTraining bert = initialized(BertConfig.resolve(name).withVocabSize(8000));
          long djlCount =
              bert.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
          assertThat(djlCount).as(name).isEqualTo(count);
          assertThat(bert.parameterCount()).as(name).isEqualTo(count);
          assertThat(bert.namedParameters()).hasSameSizeAs(bert.getParameters().values());
        });
  }

  /**
   * The names, order and shapes of Hugging Face transformers' {@code
   * BertForPreTraining(config).named_parameters()} for the tiny config (H 32, I 64, 16 positions, 2
   * token types): its state dict minus the two tied aliases {@code cls.predictions.decoder.weight}
   * and {@code cls.predictions.decoder.bias}.
   */
  private static Map<String, Shape> huggingFaceParameters(int layers) {
    Map<String, Shape> hf = new LinkedHashMap<>();
    Shape h = new Shape(32);
    Shape hh = new Shape(32, 32);
    hf.put("bert.embeddings.word_embeddings.weight", new Shape(VOCAB, 32));
    hf.put("bert.embeddings.position_embeddings.weight", new Shape(16, 32));
    hf.put("bert.embeddings.token_type_embeddings.weight", new Shape(2, 32));
    hf.put("bert.embeddings.LayerNorm.weight", h);
    hf.put("bert.embeddings.LayerNorm.bias", h);
    for (int i = 0; i < layers; i++) {
      String layer = "bert.encoder.layer." + i + ".";
      for (String projection : List.of("query", "key", "value")) {
        hf.put(layer + "attention.self." + projection + ".weight", hh);
        hf.put(layer + "attention.self." + projection + ".bias", h);
      }
      hf.put(layer + "attention.output.dense.weight", hh);
      hf.put(layer + "attention.output.dense.bias", h);
      hf.put(layer + "attention.output.LayerNorm.weight", h);
      hf.put(layer + "attention.output.LayerNorm.bias", h);
      hf.put(layer + "intermediate.dense.weight", new Shape(64, 32)); // [out, in]
      hf.put(layer + "intermediate.dense.bias", new Shape(64));
      hf.put(layer + "output.dense.weight", new Shape(32, 64));
      hf.put(layer + "output.dense.bias", h);
      hf.put(layer + "output.LayerNorm.weight", h);
      hf.put(layer + "output.LayerNorm.bias", h);
    }
    hf.put("bert.pooler.dense.weight", hh);
    hf.put("bert.pooler.dense.bias", h);
    hf.put("cls.predictions.bias", new Shape(VOCAB));
    hf.put("cls.predictions.transform.dense.weight", hh);
    hf.put("cls.predictions.transform.dense.bias", h);
    hf.put("cls.predictions.transform.LayerNorm.weight", h);
    hf.put("cls.predictions.transform.LayerNorm.bias", h);
    hf.put("cls.seq_relationship.weight", new Shape(2, 32));
    hf.put("cls.seq_relationship.bias", new Shape(2));
    return hf;
  }

  @Test
  void parametersHaveHuggingFaceNamesOrderAndShapes() {
    BertForPreTraining bert = initialized(tiny(0.1));
    Map<String, Shape> shapes = new LinkedHashMap<>();
    bert.namedParameters().forEach((name, p) -> shapes.put(name, p.getArray().getShape()));
    Map<String, Shape> expected = huggingFaceParameters(2);
    assertThat(List.copyOf(shapes.keySet())).containsExactlyElementsOf(expected.keySet());
    assertThat(shapes).containsExactlyEntriesOf(expected);
  }

  @Test
  void parametersHaveBertInitialisation() {
    BertForPreTraining bert = initialized(tiny(0.1));
    Map<String, Parameter> params = bert.namedParameters();
    NDArray word = params.get("bert.embeddings.word_embeddings.weight").getArray();
    assertThat(word.abs().max().getFloat())
        .isLessThanOrEqualTo(0.04f + 1e-6f); // truncated at 2 sigma
    assertThat(word.pow(2).mean().sqrt().getFloat()).isBetween(0.015f, 0.02f);
    assertThat(
            params
                .get("bert.encoder.layer.0.intermediate.dense.bias")
                .getArray()
                .abs()
                .sum()
                .getFloat())
        .isZero();
    assertThat(
            params.get("bert.encoder.layer.0.output.LayerNorm.weight").getArray().sum().getFloat())
        .isEqualTo(32f);
    assertThat(
            params
                .get("bert.encoder.layer.0.output.LayerNorm.bias")
                .getArray()
                .abs()
                .sum()
                .getFloat())
        .isZero();
    assertThat(params.get("cls.predictions.bias").getArray().abs().sum().getFloat()).isZero();
  }

  @Test
  void layerNormNormalisesEachTokenOverTheHiddenAxisOnly() {
    BertLayerNorm layerNorm = new BertLayerNorm(32, 1e-12);
    layerNorm.initialize(manager, DataType.FLOAT32, new Shape(1, 32));
    NDArray x =
        manager
            .randomNormal(0, 1, new Shape(2, 3, 32), DataType.FLOAT32)
            .mul(manager.arange(1f, 7f).reshape(2, 3, 1));
    NDArray y = layerNorm.forward(new ParameterStore(manager, false), x, false);

    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray variance = x.sub(mean).pow(2).mean(new int[] {-1}, true);
    NDArray expected = x.sub(mean).div(variance.add(1e-12).sqrt());
    assertThat(y.allClose(expected, 1e-5, 1e-5, false)).isTrue();
    assertThat(layerNorm.getParameters().keys()).containsExactly("weight", "bias");
  }

  @Test
  void outputShapesInMaskedAndFullSequenceMode() {
    BertForPreTraining bert = initialized(tiny(0.1));
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray ids = manager.randomInteger(5, VOCAB, new Shape(3, 12), DataType.INT64);
    NDArray types = manager.zeros(new Shape(3, 12), DataType.INT64);
    NDArray mask = manager.ones(new Shape(3, 12), DataType.INT64);
    NDArray positions =
        manager.create(new long[] {1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8}, new Shape(3, 4));

    NDList masked = bert.forward(ps, ids, types, mask, positions, true);
    assertThat(masked.get(0).getShape()).isEqualTo(new Shape(3, 4, VOCAB));
    assertThat(masked.get(1).getShape()).isEqualTo(new Shape(3, 2));

    NDList full = bert.forward(ps, new NDList(ids, types, mask), false);
    assertThat(full.get(0).getShape()).isEqualTo(new Shape(3, 12, VOCAB));
    assertThat(full.get(1).getShape()).isEqualTo(new Shape(3, 2));
    assertThat(bert.getOutputShapes(BertForPreTraining.inputShapes(3, 12, 4)))
        .containsExactly(new Shape(3, 4, VOCAB), new Shape(3, 2));
  }

  @Test
  void maskedModeScoresExactlyTheGatheredPositions() {
    BertForPreTraining bert = initialized(tiny(0.1));
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray ids = manager.randomInteger(5, VOCAB, new Shape(2, 10), DataType.INT64);
    NDArray types = manager.zeros(new Shape(2, 10), DataType.INT64);
    NDArray mask = manager.ones(new Shape(2, 10), DataType.INT64);
    NDArray positions = manager.create(new long[] {3, 7, 0, 9}, new Shape(2, 2));

    NDArray masked = bert.forward(ps, ids, types, mask, positions, false).get(0);
    NDArray full = bert.forward(ps, ids, types, mask, null, false).get(0);
    assertThat(masked.get("0, 1, :").allClose(full.get("0, 7, :"), 1e-5, 1e-5, false)).isTrue();
    assertThat(masked.get("1, 0, :").allClose(full.get("1, 0, :"), 1e-5, 1e-5, false)).isTrue();
    assertThat(masked.get("1, 1, :").allClose(full.get("1, 9, :"), 1e-5, 1e-5, false)).isTrue();
  }

  @Test
  void paddedPositionsDoNotInfluenceRealTokens() {
    BertForPreTraining bert = initialized(tiny(0.1));
    ParameterStore ps = new ParameterStore(manager, false);
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    long[] ids = new long[24];
    long[] otherIds = new long[24];
    long[] otherTypes = new long[24];
    Random random = new Random(1);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 5 + random.nextInt(VOCAB - 5);
      otherIds[i] = mask[i] == 1 ? ids[i] : 5 + random.nextInt(VOCAB - 5);
      otherTypes[i] = mask[i] == 1 ? 0 : 1;
    }
    Shape shape = new Shape(2, 12);
    NDArray attentionMask = manager.create(mask, shape);
    NDList before =
        bert.forward(
            ps,
            manager.create(ids, shape),
            manager.zeros(shape, DataType.INT64),
            attentionMask,
            null,
            false);
    NDList after =
        bert.forward(
            ps,
            manager.create(otherIds, shape),
            manager.create(otherTypes, shape),
            attentionMask,
            null,
            false);

    assertThat(
            before.get(0).get("0, :8, :").allClose(after.get(0).get("0, :8, :"), 1e-6, 1e-6, false))
        .isTrue();
    assertThat(before.get(0).get("1").allClose(after.get(0).get("1"), 1e-6, 1e-6, false)).isTrue();
    assertThat(before.get(1).allClose(after.get(1), 1e-6, 1e-6, false)).isTrue();
    // and the padding really is what changed: the padded positions' own outputs differ
    assertThat(
            before.get(0).get("0, 8:, :").allClose(after.get(0).get("0, 8:, :"), 1e-3, 1e-3, false))
        .isFalse();
  }

  @Test
  void lossAveragesOverRealMaskedTokensAndIgnoresWeightZeroSlots() {
    PreTrainingLoss loss = new PreTrainingLoss();
    NDArray logits = manager.randomNormal(new Shape(2, 3, 10));
    NDArray nspLogits = manager.create(new float[] {2f, -1f, 0.5f, 0.5f}, new Shape(2, 2));
    NDArray labels = manager.create(new long[] {4, 7, 1, 2, 0, 0}, new Shape(2, 3));
    NDArray weights = manager.create(new float[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
    NDArray nspLabels = manager.create(new long[] {0, 1});

    PreTrainingLoss.Output out =
        loss.compute(new NDList(labels, weights, nspLabels), new NDList(logits, nspLogits));

    float[] logProbs = logits.logSoftmax(-1).toFloatArray();
    double expectedMlm = -(logProbs[4] + logProbs[10 + 7] + logProbs[30 + 2]) / 3;
    double expectedNsp =
        -(Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(-1))) + Math.log(0.5)) / 2;
    assertThat(out.mlm().getFloat()).isCloseTo((float) expectedMlm, within(1e-4f));
    assertThat(out.nsp().getFloat()).isCloseTo((float) expectedNsp, within(1e-5f));
    assertThat(out.total().getFloat())
        .isCloseTo((float) (expectedMlm + expectedNsp), within(1e-4f));
    assertThat(
            loss.evaluate(new NDList(labels, weights, nspLabels), new NDList(logits, nspLogits))
                .getFloat())
        .isEqualTo(out.total().getFloat());
    assertThat(out.mlmCount().getFloat()).isEqualTo(3f);
    assertThat(out.nspCount()).isEqualTo(2);
    assertThat(out.nspCorrect().getFloat()).isIn(1f, 2f); // sequence 0 right; sequence 1 is a tie

    // anything in the weight-0 slots, logits or labels, changes nothing
    NDArray otherLogits =
        logits.add(manager.create(new float[] {0, 0, 1, 0, 1, 1}, new Shape(2, 3, 1)).mul(50));
    NDArray otherLabels = manager.create(new long[] {4, 7, 9, 2, 9, 9}, new Shape(2, 3));
    PreTrainingLoss.Output other =
        loss.compute(
            new NDList(otherLabels, weights, nspLabels), new NDList(otherLogits, nspLogits));
    assertThat(other.mlm().getFloat()).isEqualTo(out.mlm().getFloat());
    assertThat(other.mlmCorrect().getFloat()).isEqualTo(out.mlmCorrect().getFloat());
  }

  @Test
  void geluIsTheErfForm() {
    NDArray x = manager.create(new float[] {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 2f, 3f});
    NDArray erfForm = x.mul(0.5).mul(x.div(Math.sqrt(2)).erf().add(1));
    // the tanh approximation differs from the erf form by up to ~3e-4 in this range
    assertThat(Activation.gelu(x).allClose(erfForm, 0, 1e-6, false)).isTrue();
  }

  @Test
  void savedParametersLoadIntoAFreshModel() throws Exception {
    BertForPreTraining bert = initialized(tiny(0.1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bert.saveParameters(new DataOutputStream(bytes));

    BertForPreTraining loaded = new BertForPreTraining(tiny(0.1));
    loaded.loadParameters(
        manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    ParameterStore ps = new ParameterStore(manager, false);
    NDArray ids = manager.randomInteger(5, VOCAB, new Shape(2, 10), DataType.INT64);
    NDArray zeros = manager.zeros(new Shape(2, 10), DataType.INT64);
    NDArray ones = manager.ones(new Shape(2, 10), DataType.INT64);
    NDList expected = bert.forward(ps, ids, zeros, ones, null, false);
    NDList actual = loaded.forward(ps, ids, zeros, ones, null, false);
    assertThat(actual.get(0).allClose(expected.get(0), 0, 0, false)).isTrue();
    assertThat(actual.get(1).allClose(expected.get(1), 0, 0, false)).isTrue();
  }

  /**
   * A learnable synthetic task, [CLS] A [SEP] B [padding]: segment A repeats one token x from the
   * lower half of the vocabulary, segment B (3 to 7 tokens, then padding) repeats one token z, from
   * the upper half when B "follows" A and from the lower half when it does not. One token of each
   * segment is masked, and a third prediction slot is padding (weight 0). MLM must find the masked
   * token among the real tokens of its own segment; NSP must read B.
   */
  @Test
  void tinyModelLearnsMaskedTokensAndNextSentence() {
    // the trainer's own optimizer step: AdamW, gradients clipped to norm 1, a linear warm-up to a
    // constant rate. Over 24 initialisation seeds this reaches an MLM loss of 0.21 or less; a fixed
    // 3e-3 without warm-up or clipping stalled near 3.4 on 2 of them, and the trajectory is not
    // bit-reproducible across CPUs (parallel reductions), so the test must not sit on that edge.
    BertForPreTraining bert = initialized(tiny(0.0));
    ParameterStore ps = new ParameterStore(manager, false);
    PreTrainingLoss loss = new PreTrainingLoss();
    Random random = new Random(3);
    int steps = 500;
    int warmupSteps = 50;
    float firstMlm = Float.NaN;
    try (AdamW optimizer = AdamW.bert(manager, bert.namedParameters(), name -> false, 0)) {
      for (int step = 0; step < steps; step++) {
        try (NDManager batchManager = manager.newSubManager()) {
          NDList[] batch = pairTaskBatch(batchManager, random, 32);
          NDList in = batch[0];
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            PreTrainingLoss.Output out =
                loss.compute(
                    batch[1], bert.forward(ps, in.get(0), in.get(1), in.get(2), in.get(3), true));
            float total = out.total().getFloat();
            assertThat(total).as("training loss at step %d", step).isFinite();
            if (step == 0) {
              firstMlm = out.mlm().getFloat();
            }
            collector.backward(out.total());
          }
          double lr = 2e-3 * Math.min(1, (step + 1.0) / warmupSteps);
          optimizer.step(lr, Math.min(1, 1 / (optimizer.gradientNorm() + 1e-6)));
        }
      }
    }

    NDList[] test = pairTaskBatch(manager, new Random(99), 256);
    NDList in = test[0];
    PreTrainingLoss.Output out =
        loss.compute(test[1], bert.forward(ps, in.get(0), in.get(1), in.get(2), in.get(3), false));
    assertThat(firstMlm).isGreaterThan(4f); // about ln(100): uniform over the vocabulary
    assertThat(out.mlm().getFloat()).isLessThan(firstMlm / 4);
    assertThat(out.mlmCorrect().getFloat() / out.mlmCount().getFloat()).isGreaterThan(0.8f);
    assertThat(out.nspCorrect().getFloat() / out.nspCount()).isGreaterThan(0.9f);
  }

  private static NDList[] pairTaskBatch(NDManager manager, Random random, int batch) {
    int length = 16;
    int segment = 7;
    int lowerEnd = 5 + (VOCAB - 5) / 2;
    long[] ids = new long[batch * length];
    long[] types = new long[batch * length];
    long[] attention = new long[batch * length];
    long[] positions = new long[batch * 3];
    long[] labels = new long[batch * 3];
    float[] weights = new float[batch * 3];
    long[] nextSentence = new long[batch];
    for (int b = 0; b < batch; b++) {
      int row = b * length;
      boolean isNext = random.nextBoolean();
      long first = 5 + random.nextInt(lowerEnd - 5);
      long second =
          isNext ? lowerEnd + random.nextInt(VOCAB - lowerEnd) : 5 + random.nextInt(lowerEnd - 5);
      int secondLength = 3 + random.nextInt(segment - 2);
      ids[row] = CLS;
      for (int i = 1; i <= segment; i++) {
        ids[row + i] = first;
      }
      ids[row + segment + 1] = SEP;
      for (int i = segment + 2; i <= segment + 1 + secondLength; i++) {
        ids[row + i] = second;
        types[row + i] = 1;
      }
      for (int i = 0; i <= segment + 1 + secondLength; i++) {
        attention[row + i] = 1;
      }
      int[] masked = {1 + random.nextInt(segment), segment + 2 + random.nextInt(secondLength)};
      for (int m = 0; m < 2; m++) {
        positions[b * 3 + m] = masked[m];
        labels[b * 3 + m] = ids[row + masked[m]];
        weights[b * 3 + m] = 1;
        ids[row + masked[m]] = MASK;
      }
      nextSentence[b] = isNext ? BertNspHead.IS_NEXT : BertNspHead.NOT_NEXT;
    }
    Shape tokens = new Shape(batch, length);
    Shape predicted = new Shape(batch, 3);
    NDList inputs =
        new NDList(
            manager.create(ids, tokens),
            manager.create(types, tokens),
            manager.create(attention, tokens),
            manager.create(positions, predicted));
    NDList targets =
        new NDList(
            manager.create(labels, predicted),
            manager.create(weights, predicted),
            manager.create(nextSentence));
    return new NDList[] {inputs, targets};
  }
}
