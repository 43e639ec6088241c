package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s/kserve/: the ServingRuntime and the InferenceService fit each other and the service (the Open
 * Inference Protocol's paths, the port, the model name the v2 URLs use).
 */
class KServeManifestsTest {
  static final Path KSERVE = Chart.MODULE.resolve("kserve");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theRuntimeServesTheInferenceServicesModelOverV2() throws IOException {
    JsonNode runtime = YAML.readTree(KSERVE.resolve("serving-runtime.yaml").toFile());
    JsonNode isvc = YAML.readTree(KSERVE.resolve("inference-service.yaml").toFile());
    assertThat(runtime.path("kind").asText()).isEqualTo("ServingRuntime");
    assertThat(isvc.path("kind").asText()).isEqualTo("InferenceService");

    JsonNode model = isvc.path("spec").path("predictor").path("model");
    assertThat(model.path("runtime").asText())
        .isEqualTo(runtime.path("metadata").path("name").asText());
    assertThat(model.path("protocolVersion").asText()).isEqualTo("v2");
    assertThat(runtime.path("spec").path("protocolVersions").toString()).contains("v2");
    assertThat(runtime.path("spec").path("supportedModelFormats").get(0).path("name").asText())
        .isEqualTo(model.path("modelFormat").path("name").asText());

    JsonNode container = runtime.path("spec").path("containers").get(0);
    assertThat(container.path("name").asText()).isEqualTo("kserve-container");
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(env)
        .containsEntry("MINIBERT_STORE", "/mnt/models")
        .containsEntry("MINIBERT_MODEL", isvc.path("metadata").path("name").asText())
        .containsEntry(
            "QUARKUS_HTTP_PORT", container.path("ports").get(0).path("containerPort").asText());
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/v2/health/ready");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/v2/health/live");
  }
}
