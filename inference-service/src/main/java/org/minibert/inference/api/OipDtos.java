package org.minibert.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The JSON shapes of the Open Inference Protocol (KServe v2, REST): server and model metadata,
 * tensors, the inference response and the error body.
 */
public final class OipDtos {
  private OipDtos() {}

  /** {@code GET /v2}. */
  public record ServerMetadata(String name, String version, List<String> extensions) {}

  /** A tensor's name, element type and shape ({@code -1}: any size) in model metadata. */
  public record TensorMetadata(String name, String datatype, List<Long> shape) {}

  /** {@code GET /v2/models/{model}}. */
  public record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  /** {@code GET /v2/health/ready} and {@code /v2/models/{model}/ready}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Readiness(String name, boolean ready) {}

  /** {@code GET /v2/health/live}. */
  public record Liveness(boolean live) {}

  /** One output tensor of an answer: {@code data} flattened in row-major order. */
  public record OutputTensor(String name, String datatype, List<Long> shape, List<?> data) {}

  /** The answer of {@code POST /v2/models/{model}/infer}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      String id,
      List<OutputTensor> outputs) {}

  /** Every failure: {@code {"error": "..."}}. */
  public record Error(String error) {}
}
