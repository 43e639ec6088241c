package org.minibert.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.minibert.core.io.Json;

/**
 * The shape of a BERT model, with the field names of Hugging Face's {@code config.json} so a file
 * can be read by either side.
 *
 * <p>Three configurations ship as resources under {@code configs/}; all have about 1.47M parameters
 * with an 8000-word vocabulary, spending them differently: {@code deep-6L-96D} (6 layers of width
 * 96), {@code standard-2L-128D} (the BERT-tiny shape) and {@code shallow-1L-144D} (one wide layer).
 * Their heads are chosen for a head width of about 32; the head count does not change the parameter
 * count.
 *
 * @param name a label for reports and file names
 * @param vocabSize the WordPiece vocabulary size; 0 means "not known yet", filled in from the data
 *     set at train time by {@link #withVocabSize(int)}
 * @param hiddenSize the width of every token vector between the layers
 * @param numHiddenLayers the number of transformer layers
 * @param numAttentionHeads the number of attention heads; must divide {@code hiddenSize}
 * @param intermediateSize the width of the feed-forward layer inside each transformer layer (4 x
 *     hidden in BERT)
 * @param maxPositionEmbeddings the longest sequence the model can read (one learned vector per
 *     position)
 * @param typeVocabSize the number of segment ids (2: sentence A and sentence B)
 * @param hiddenDropoutProb dropout after the embeddings and after every dense sub-layer
 * @param attentionProbsDropoutProb dropout on the attention probabilities
 * @param layerNormEps epsilon of every LayerNorm
 * @param initializerRange standard deviation of the (truncated) normal initialisation of the
 *     weights
 */
public record BertConfig(
    String name,
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    int maxPositionEmbeddings,
    int typeVocabSize,
    double hiddenDropoutProb,
    double attentionProbsDropoutProb,
    double layerNormEps,
    double initializerRange) {

  /** The configurations shipped under {@code configs/} in this module's resources. */
  public static final List<String> SHIPPED =
      List.of("deep-6L-96D", "standard-2L-128D", "shallow-1L-144D");

  /** The project's mapper, but unknown fields are an error (see {@link #fromJson}). */
  private static final ObjectReader JSON =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public BertConfig {
    require(vocabSize >= 0, "vocab_size must be >= 0 (0 = taken from the data set)");
    require(
        hiddenSize > 0 && numHiddenLayers > 0 && numAttentionHeads > 0 && intermediateSize > 0,
        "hidden_size, num_hidden_layers, num_attention_heads and intermediate_size must be"
            + " positive");
    require(
        hiddenSize % numAttentionHeads == 0,
        "hidden_size "
            + hiddenSize
            + " is not a multiple of num_attention_heads "
            + numAttentionHeads);
    require(
        maxPositionEmbeddings > 0 && typeVocabSize > 0,
        "max_position_embeddings and type_vocab_size must be positive");
    require(
        hiddenDropoutProb >= 0
            && hiddenDropoutProb < 1
            && attentionProbsDropoutProb >= 0
            && attentionProbsDropoutProb < 1,
        "dropout probabilities must be in [0, 1)");
    require(
        layerNormEps > 0 && initializerRange > 0,
        "layer_norm_eps and initializer_range must be positive");
  }

  /**
   * Reads a config from JSON; absent optional fields take BERT's defaults (positions 128, 2 segment
   * types, dropout 0.1, epsilon 1e-12, initializer range 0.02, vocabulary from the data set).
   * Unknown fields are an error, so a typo does not silently fall back to a default.
   */
  @JsonCreator
  static BertConfig fromJson(
      @JsonProperty("name") String name,
      @JsonProperty("vocab_size") Integer vocabSize,
      @JsonProperty(value = "hidden_size", required = true) int hiddenSize,
      @JsonProperty(value = "num_hidden_layers", required = true) int numHiddenLayers,
      @JsonProperty(value = "num_attention_heads", required = true) int numAttentionHeads,
      @JsonProperty(value = "intermediate_size", required = true) int intermediateSize,
      @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
      @JsonProperty("type_vocab_size") Integer typeVocabSize,
      @JsonProperty("hidden_dropout_prob") Double hiddenDropoutProb,
      @JsonProperty("attention_probs_dropout_prob") Double attentionProbsDropoutProb,
      @JsonProperty("layer_norm_eps") Double layerNormEps,
      @JsonProperty("initializer_range") Double initializerRange) {
    return new BertConfig(
        name == null ? "custom" : name,
        vocabSize == null ? 0 : vocabSize,
        hiddenSize,
        numHiddenLayers,
        numAttentionHeads,
        intermediateSize,
        maxPositionEmbeddings == null ? 128 : maxPositionEmbeddings,
        typeVocabSize == null ? 2 : typeVocabSize,
        hiddenDropoutProb == null ? 0.1 : hiddenDropoutProb,
        attentionProbsDropoutProb == null ? 0.1 : attentionProbsDropoutProb,
        layerNormEps == null ? 1e-12 : layerNormEps,
        initializerRange == null ? 0.02 : initializerRange);
  }

  /**
   * Loads a shipped config by name ({@link #SHIPPED}) or else a JSON file at that path.
   *
   * @throws IllegalArgumentException when it is neither, listing the shipped names
   */
  public static BertConfig resolve(String nameOrPath) {
    if (SHIPPED.contains(nameOrPath)) {
      try (InputStream in =
          BertConfig.class.getResourceAsStream("/configs/" + nameOrPath + ".json")) {
        return JSON.readValue(in, BertConfig.class);
      } catch (IOException e) {
        throw new UncheckedIOException("shipped config " + nameOrPath + " is unreadable", e);
      }
    }
    Path file = Path.of(nameOrPath);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "unknown model config '"
              + nameOrPath
              + "': neither a shipped config "
              + SHIPPED
              + " nor a JSON file");
    }
    try {
      return JSON.readValue(file.toFile(), BertConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "model config file " + file + " is not a valid config: " + e.getMessage(), e);
    }
  }

  /** This config with the vocabulary size of the data set it will be trained on. */
  public BertConfig withVocabSize(int size) {
    return new BertConfig(
        name,
        size,
        hiddenSize,
        numHiddenLayers,
        numAttentionHeads,
        intermediateSize,
        maxPositionEmbeddings,
        typeVocabSize,
        hiddenDropoutProb,
        attentionProbsDropoutProb,
        layerNormEps,
        initializerRange);
  }

  /** This config with other dropout probabilities; a null keeps the config's own. */
  public BertConfig withDropout(Double hidden, Double attention) {
    return new BertConfig(
        name,
        vocabSize,
        hiddenSize,
        numHiddenLayers,
        numAttentionHeads,
        intermediateSize,
        maxPositionEmbeddings,
        typeVocabSize,
        hidden == null ? hiddenDropoutProb : hidden,
        attention == null ? attentionProbsDropoutProb : attention,
        layerNormEps,
        initializerRange);
  }

  /** The width of one attention head. */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
