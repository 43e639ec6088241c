package org.minibert.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Which parameters get weight decay: BERT's weight matrices and embedding tables, not biases or
 * LayerNorm.
 */
class WeightDecaySelectionTest {

  @Test
  void decaysExactlyTheWeightMatricesAndEmbeddingTables() {
    BertConfig oneLayer = new BertConfig("tiny", 100, 32, 1, 2, 64, 16, 2, 0.1, 0.1, 1e-12, 0.02);
    Map<String, Parameter> parameters = new BertForPreTraining(oneLayer).namedParameters();

    assertThat(parameters.keySet().stream().filter(Pretrainer::decayed).toList())
        .containsExactly(
            "bert.embeddings.word_embeddings.weight",
            "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight",
            "bert.encoder.layer.0.attention.self.query.weight",
            "bert.encoder.layer.0.attention.self.key.weight",
            "bert.encoder.layer.0.attention.self.value.weight",
            "bert.encoder.layer.0.attention.output.dense.weight",
            "bert.encoder.layer.0.intermediate.dense.weight",
            "bert.encoder.layer.0.output.dense.weight",
            "bert.pooler.dense.weight",
            "cls.predictions.transform.dense.weight",
            "cls.seq_relationship.weight");
    // the names agree with DJL's parameter types: decay is for the WEIGHT type only (not BIAS,
    // GAMMA, BETA)
    parameters.forEach(
        (name, p) ->
            assertThat(Pretrainer.decayed(name))
                .as(name)
                .isEqualTo(p.getType() == Parameter.Type.WEIGHT));
  }
}
