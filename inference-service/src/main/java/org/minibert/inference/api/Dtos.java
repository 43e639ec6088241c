package org.minibert.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of the API (snake_case, as the rest of the project's files). */
public final class Dtos {
  private Dtos() {}

  @Schema(description = "Predictions for every [MASK] of the text, in text order")
  public record FillMaskResponse(
      @Schema(example = "minibert") String model,
      @Schema(description = "the model version that answered", example = "20261126T124905Z-3fa2c1")
          String version,
      String text,
      List<Mask> masks) {}

  @Schema(description = "One [MASK]: where it is and its candidates, best first")
  public record Mask(
      @Schema(description = "token index in the model input ([CLS] is 0)") int position,
      @Schema(description = "UTF-16 offset of [MASK] in the text") int start,
      @Schema(description = "end offset (exclusive)") int end,
      List<Candidate> candidates) {}

  @Schema(description = "A candidate token for one mask")
  public record Candidate(
      @JsonProperty("token_id") @Schema(example = "1234") int tokenId,
      @Schema(
              description = "the token as people read it (## stripped, jamo composed)",
              example = "서울")
          String token,
      @Schema(description = "softmax probability over the vocabulary", example = "0.42")
          double score,
      @Schema(description = "the text with this mask filled", example = "한국의 수도는 서울이다.")
          String sequence) {}

  @Schema(description = "One candidate in the Hugging Face Inference API fill-mask shape")
  public record HfCandidate(
      @Schema(example = "0.42") double score,
      @Schema(description = "the token id", example = "1234") int token,
      @JsonProperty("token_str") @Schema(example = "서울") String tokenStr,
      @Schema(example = "한국의 수도는 서울이다.") String sequence) {}

  @Schema(description = "Next-sentence prediction for one pair")
  public record NspResponse(
      @JsonProperty("is_next") boolean isNext,
      @Schema(description = "probability that the second text follows the first", example = "0.93")
          double probability,
      @Schema(description = "raw logits [follows, random]") double[] logits) {}

  @Schema(description = "The model being served")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelInfo(
      String model,
      String version,
      @JsonProperty("created_at") String createdAt,
      @Schema(description = "ONNX Runtime execution provider", example = "CPUExecutionProvider")
          String provider,
      @JsonProperty("max_positions") int maxPositions,
      @JsonProperty("vocab_size") int vocabSize,
      @Schema(description = "config.json of the version") JsonNode config,
      @Schema(description = "metrics.json of the version") JsonNode metrics,
      @Schema(description = "the export's ONNX Runtime vs DJL parity check") JsonNode parity,
      @Schema(description = "the training run (its name, not its folder) and checkpoint")
          TrainingSource source,
      @JsonProperty("last_error")
          @Schema(
              description =
                  "the kind of the last hot-reload failure, if any (the details are in the log)")
          String lastError) {}

  /** Where a version was trained, without the trainer's local paths: the run folder's name only. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrainingSource(
      String run, long step, @JsonProperty("git_commit") String gitCommit) {
    static TrainingSource of(org.minibert.core.registry.Manifest.Source source) {
      if (source == null) {
        return null;
      }
      String run = source.run();
      if (run != null) {
        String trimmed = run.replaceAll("[/\\\\]+$", "");
        run = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
      }
      return new TrainingSource(run, source.step(), source.gitCommit());
    }
  }
}
