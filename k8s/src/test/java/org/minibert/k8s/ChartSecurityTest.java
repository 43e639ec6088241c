package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the chart exposes and to whom: the API key from a Secret, health and metrics on the
 * management port only, the Swagger UI off, the NetworkPolicy on, read-only store credentials of
 * the inference pods' own, the bundled MinIO's read-only user created without a secret on any
 * command line, and images pinned by digest.
 */
class ChartSecurityTest {
  static final String MINIO =
      "store: {credentials: {existingSecret: minibert-s3}}\nminio: {enabled: true}\n";

  static Container inference(Chart.Rendered r) {
    return r.named(Deployment.class, "-inference")
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  static Optional<EnvVar> env(Container c, String name) {
    return c.getEnv() == null
        ? Optional.empty()
        : c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }

  static ConfigMap inferenceConfig(Chart.Rendered r) {
    return r.named(ConfigMap.class, "-inference").orElseThrow();
  }

  @Test
  void theApiKeyIsOnByDefaultFromAGeneratedSecret() {
    Chart.Rendered r = Chart.render("");
    EnvVar key = env(inference(r), "MINIBERT_API_KEY").orElseThrow();
    assertThat(key.getValue()).isNull();
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("minibert-api-key");
    assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
    Secret secret = r.named(Secret.class, "-api-key").orElseThrow();
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().get("api-key")), StandardCharsets.UTF_8);
    assertThat(value).hasSize(48).matches("[A-Za-z0-9]+");
    // a different key each time it is generated: nothing guessable is baked into the chart
    String other =
        Chart.render("").named(Secret.class, "-api-key").orElseThrow().getData().get("api-key");
    assertThat(other).isNotEqualTo(secret.getData().get("api-key"));
  }

  @Test
  void anExistingApiKeySecretIsUsedAndNothingIsGenerated() {
    Chart.Rendered r =
        Chart.render("inference: {apiKey: {existingSecret: my-keys, secretKey: keys}}");
    EnvVar key = env(inference(r), "MINIBERT_API_KEY").orElseThrow();
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("my-keys");
    assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("keys");
    assertThat(r.all(Secret.class)).isEmpty();

    Chart.Rendered off = Chart.render("inference: {apiKey: {enabled: false}}");
    assertThat(env(inference(off), "MINIBERT_API_KEY")).isEmpty();
    assertThat(off.all(Secret.class)).isEmpty();
  }

  @Test
  void healthAndMetricsAreOnTheManagementPortByDefault() {
    Chart.Rendered r = Chart.render("inference: {metrics: {serviceMonitor: {enabled: true}}}");
    Container c = inference(r);
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "management:9000");
    for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", "9000");
    assertThat(r.one(ServiceMonitor.class).spec().endpoints().get(0).port())
        .isEqualTo("management");
    assertThat(inferenceConfig(r).getData())
        .containsEntry("QUARKUS_MANAGEMENT_ENABLED", "true")
        .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
  }

  @Test
  void theSwaggerUiIsOffUnlessAskedFor() {
    assertThat(inferenceConfig(Chart.render("")).getData())
        .containsEntry("QUARKUS_SWAGGER_UI_ENABLE", "false");
    assertThat(inferenceConfig(Chart.render("inference: {swaggerUi: {enabled: true}}")).getData())
        .containsEntry("QUARKUS_SWAGGER_UI_ENABLE", "true");
    assertThat(Chart.render("").output()).doesNotContain("swagger-ui");
  }

  @Test
  void theNetworkPolicyIsOnByDefault() {
    NetworkPolicy np = Chart.render("").one(NetworkPolicy.class);
    assertThat(np.spec().ingress()).hasSize(2);
    assertThat(np.spec().ingress().get(0).ports().get(0).port()).isEqualTo("http");
    assertThat(np.spec().ingress().get(1).ports().get(0).port()).isEqualTo("management");
    // the management port only from this namespace unless metricsFrom says otherwise
    assertThat(np.spec().ingress().get(1).from())
        .containsExactly(java.util.Map.of("podSelector", java.util.Map.of()));
  }

  @Test
  void theTrainersWriteCredentialsNeedAnExplicitOptIn() {
    assertThatThrownBy(() -> Chart.render("store: {credentials: {existingSecret: trainer-rw}}"))
        .hasMessageContaining("trainer's write credentials")
        .hasMessageContaining("inference.credentials.allowWriterCredentials");
    assertThatThrownBy(
            () ->
                Chart.render(
                    "store: {credentials: {existingSecret: trainer-rw}}\n"
                        + "inference: {credentials: {existingSecret: trainer-rw}}"))
        .hasMessageContaining("trainer's write credentials");
    Chart.Rendered optedIn =
        Chart.render(
            "store: {credentials: {existingSecret: trainer-rw}}\n"
                + "inference: {credentials: {allowWriterCredentials: true}}");
    assertThat(ChartReliabilityTest.secretOf(inference(optedIn))).isEqualTo("trainer-rw");
    // IRSA / workload identity: no Secret anywhere, nothing to refuse
    assertThat(env(inference(Chart.render("")), "AWS_SECRET_ACCESS_KEY")).isEmpty();
  }

  @Test
  void theBundledMinioGivesInferenceAGeneratedReadOnlyUser() {
    Chart.Rendered r = Chart.render(MINIO + "trainer: {enabled: true}");
    assertThat(ChartReliabilityTest.secretOf(inference(r))).isEqualTo("minibert-inference-s3");
    PodSpec trainer =
        r.all(Job.class).stream()
            .filter(j -> j.getMetadata().getName().contains("-train-"))
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(ChartReliabilityTest.secretOf(trainer.getContainers().get(0)))
        .isEqualTo("minibert-s3");
    Secret reader = r.named(Secret.class, "-inference-s3").orElseThrow();
    assertThat(decode(reader.getData().get("AWS_ACCESS_KEY_ID"))).isEqualTo("minibert-inference");
    assertThat(decode(reader.getData().get("AWS_SECRET_ACCESS_KEY"))).hasSize(40);

    Container job = bucketJob(r);
    assertThat(
            env(job, "READER_ACCESS_KEY_ID")
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef()
                .getName())
        .isEqualTo("minibert-inference-s3");
    assertThat(
            env(job, "READER_SECRET_ACCESS_KEY")
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef()
                .getName())
        .isEqualTo("minibert-inference-s3");
    assertThat(env(job, "READ_POLICY").orElseThrow().getValue()).isEqualTo("minibert-read");
    String script = String.join("\n", job.getArgs());
    assertThat(script)
        .contains("mc admin user add store")
        .contains("mc admin policy create store \"${READ_POLICY}\"")
        .contains(
            "mc admin policy attach store \"${READ_POLICY}\" --user \"${READER_ACCESS_KEY_ID}\"")
        .contains("\"s3:GetObject\"")
        .doesNotContain("s3:PutObject", "s3:DeleteObject", "s3:*");
  }

  @Test
  void noSecretOnTheBucketJobsCommandLines() {
    Container job = bucketJob(Chart.render(MINIO));
    String script = String.join("\n", job.getArgs());
    // every line that runs mc with a secret must get it on standard input, not as an argument
    for (String line : script.lines().toList()) {
      if (line.contains("SECRET_ACCESS_KEY")) {
        // the secret is printf's argument (a shell builtin: no process of its own); mc reads it
        int pipe = line.indexOf('|');
        assertThat(pipe).as(line).isPositive();
        assertThat(line.substring(0, pipe).strip())
            .as(line)
            .matches("(until )?printf '%s\\\\n%s\\\\n' .*");
        assertThat(line.substring(pipe)).as(line).doesNotContain("SECRET", "ACCESS_KEY");
      }
    }
    assertThat(script).contains("| mc alias set store \"${S3_ENDPOINT}\"");
  }

  @Test
  void aGivenReadOnlySecretIsCreatedAsTheMinioUserAndNotGenerated() {
    Chart.Rendered r = Chart.render(MINIO + "inference: {credentials: {existingSecret: reader}}");
    assertThat(ChartReliabilityTest.secretOf(inference(r))).isEqualTo("reader");
    assertThat(r.named(Secret.class, "-inference-s3")).isEmpty();
    assertThat(
            env(bucketJob(r), "READER_SECRET_ACCESS_KEY")
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef()
                .getName())
        .isEqualTo("reader");
  }

  @Test
  void imagesCanBePinnedByDigest() {
    String digest = "sha256:" + "ab".repeat(32);
    Chart.Rendered r =
        Chart.render(
            "images: {inference: {digest: '"
                + digest
                + "'}, trainer: {tag: '9.9', digest: '"
                + digest
                + "'}}\ntrainer: {enabled: true}");
    assertThat(inference(r).getImage()).isEqualTo("ghcr.io/minibert/inference@" + digest);
    assertThat(r.one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/minibert/trainer@" + digest);
    assertThat(inference(Chart.render("")).getImage()).startsWith("ghcr.io/minibert/inference:");
    assertThatThrownBy(() -> Chart.render("images: {inference: {digest: 'sha256:abc'}}"))
        .hasMessageContaining("digest");
    // the bundled MinIO's images are pinned by default
    Chart.Rendered minio = Chart.render(MINIO);
    assertThat(bucketJob(minio).getImage()).matches("quay\\.io/minio/mc@sha256:[0-9a-f]{64}");
    assertThat(
            minio
                .named(Deployment.class, "-minio")
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .matches("quay\\.io/minio/minio@sha256:[0-9a-f]{64}");
  }

  static Container bucketJob(Chart.Rendered r) {
    return r.all(Job.class).stream()
        .filter(j -> j.getMetadata().getName().contains("-bucket-"))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
