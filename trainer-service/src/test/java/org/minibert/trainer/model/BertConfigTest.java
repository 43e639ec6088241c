package org.minibert.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertConfigTest {

  @Test
  void shippedConfigsLoadByName() {
    BertConfig deep = BertConfig.resolve("deep-6L-96D");
    assertThat(deep.name()).isEqualTo("deep-6L-96D");
    assertThat(deep.hiddenSize()).isEqualTo(96);
    assertThat(deep.numHiddenLayers()).isEqualTo(6);
    assertThat(deep.intermediateSize()).isEqualTo(4 * 96);
    assertThat(deep.vocabSize()).isZero();
    assertThat(deep.maxPositionEmbeddings()).isEqualTo(128);
    assertThat(deep.layerNormEps()).isEqualTo(1e-12);
    for (String name : BertConfig.SHIPPED) {
      assertThat(BertConfig.resolve(name).name()).isEqualTo(name);
    }
  }

  @Test
  void unknownNameListsTheShippedConfigs() {
    assertThatThrownBy(() -> BertConfig.resolve("huge-24L"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("huge-24L", "deep-6L-96D", "standard-2L-128D", "shallow-1L-144D");
  }

  @Test
  void userFileTakesDefaultsForAbsentFields(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("mine.json");
    Files.writeString(
        file,
        """
        {"hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 2, "intermediate_size": 256}
        """);
    BertConfig config = BertConfig.resolve(file.toString());
    assertThat(config.vocabSize()).isZero();
    assertThat(config.typeVocabSize()).isEqualTo(2);
    assertThat(config.hiddenDropoutProb()).isEqualTo(0.1);
    assertThat(config.initializerRange()).isEqualTo(0.02);
    assertThat(config.withVocabSize(500).vocabSize()).isEqualTo(500);
    assertThat(config.headSize()).isEqualTo(32);
  }

  @Test
  void writtenJsonReadsBackEqual(@TempDir Path dir) throws IOException {
    BertConfig config = BertConfig.resolve("standard-2L-128D").withVocabSize(8000);
    Path file = dir.resolve("config.json");
    // as the run's config.json holds it, which a user copies to start a config of their own
    Files.writeString(file, org.minibert.core.io.Json.MAPPER.writeValueAsString(config));
    assertThat(BertConfig.resolve(file.toString())).isEqualTo(config);
  }

  @Test
  void rejectsTyposAndImpossibleShapes(@TempDir Path dir) throws IOException {
    Path typo = dir.resolve("typo.json");
    Files.writeString(
        typo,
        """
        {"hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 2, "intermediate_size": 256,
         "hiden_dropout_prob": 0.2}
        """);
    assertThatThrownBy(() -> BertConfig.resolve(typo.toString()))
        .hasMessageContaining("hiden_dropout_prob");
    Path heads = dir.resolve("heads.json");
    Files.writeString(
        heads,
        """
        {"hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 3, "intermediate_size": 256}
        """);
    assertThatThrownBy(() -> BertConfig.resolve(heads.toString()))
        .hasMessageContaining("not a multiple");
  }
}
