package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/manifests/ is the chart rendered with k8s/manifests-values.yaml, one file per template,
 * grouped by component. This test fails when they drift apart; {@code
 * -Dminibert.manifests.write=true} rewrites them from the chart.
 */
class ManifestsSyncTest {

  static final Path MANIFESTS = Chart.MODULE.resolve("manifests");
  static final Path VALUES = Chart.MODULE.resolve("manifests-values.yaml");

  static final String HEADER =
      """
      # Generated from the Helm chart k8s/helm/minibert with k8s/manifests-values.yaml: do not edit.
      # Regenerate: ./mvnw -B -pl k8s test -Dtest=ManifestsSyncTest -Dminibert.manifests.write=true
      """;

  static String group(String template) {
    if (template.startsWith("inference-")) {
      return "inference";
    }
    if (template.startsWith("minio")) {
      return "minio";
    }
    if (template.startsWith("sweep-")) {
      return "sweep";
    }
    if (template.startsWith("trainer-")) {
      return "training";
    }
    return "base";
  }

  /** relative path -> expected content, from the chart. */
  static Map<String, String> expected() {
    Chart.Rendered r = Chart.renderFile(VALUES);
    Map<String, StringBuilder> files = new TreeMap<>();
    for (Chart.Doc d : r.docs()) {
      String path = group(d.template()) + "/" + d.template();
      files
          .computeIfAbsent(path, p -> new StringBuilder(HEADER))
          .append("---\n")
          .append(d.yaml().strip())
          .append('\n');
    }
    Map<String, String> out = new TreeMap<>();
    files.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  static Map<String, String> actual() throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(MANIFESTS)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(MANIFESTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        out.put(MANIFESTS.relativize(f).toString().replace('\\', '/'), Files.readString(f));
      }
    }
    return out;
  }

  @Test
  void manifestsMatchTheChart() throws IOException {
    Map<String, String> expected = expected();
    if (Boolean.getBoolean("minibert.manifests.write")) {
      for (Map.Entry<String, String> e : actual().entrySet()) {
        Files.delete(MANIFESTS.resolve(e.getKey()));
      }
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Path f = MANIFESTS.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue());
      }
    }
    Map<String, String> actual = actual();
    assertThat(actual.keySet())
        .as("files in k8s/manifests (regenerate: -Dminibert.manifests.write=true)")
        .containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (path, content) ->
            assertThat(actual.get(path))
                .as(
                    "k8s/manifests/%s is out of date (regenerate: -Dminibert.manifests.write=true)",
                    path)
                .isEqualTo(content));
  }

  @Test
  void manifestsParseIntoTypedObjects() throws IOException {
    Map<String, String> actual = actual();
    assertThat(actual).isNotEmpty();
    actual.forEach(
        (path, content) -> {
          List<Chart.Doc> docs = Chart.parse(content);
          assertThat(docs).as(path).isNotEmpty();
        });
    assertThat(actual.keySet())
        .contains(
            "base/serviceaccount.yaml",
            "inference/inference-deployment.yaml",
            "training/trainer-job.yaml",
            "sweep/sweep-job.yaml",
            "minio/minio.yaml",
            "minio/minio-bucket-job.yaml");
  }
}
