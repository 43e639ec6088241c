package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's reliability and least-privilege settings: /tmp for the GPU image, JVM options that
 * add to the image's, the inference pods' own account and credentials, the NetworkPolicy and
 * management port, shell-safe sweep values, and a graceful stop.
 */
class ChartReliabilityTest {
  static PodSpec inferencePod(Chart.Rendered r) {
    return r.one(Deployment.class).getSpec().getTemplate().getSpec();
  }

  static String tmpSizeLimit(PodSpec pod) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals("tmp"))
        .findFirst()
        .orElseThrow()
        .getEmptyDir()
        .getSizeLimit()
        .toString();
  }

  @Test
  void theGpuImageGetsATmpLargeEnoughForItsNativeLibraries() {
    assertThat(tmpSizeLimit(inferencePod(Chart.render("")))).isEqualTo("512Mi");
    assertThat(tmpSizeLimit(inferencePod(Chart.render("inference: {gpu: {enabled: true}}"))))
        .isEqualTo("2Gi");
  }

  @Test
  void jvmOptionsAddToTheImagesAndTheOldKeyIsRejected() {
    Chart.Rendered r = Chart.render("trainer: {enabled: true, javaOptions: '-Xss2m'}");
    ConfigMap inference = r.named(ConfigMap.class, "-inference").orElseThrow();
    assertThat(inference.getData())
        .doesNotContainKey("JAVA_TOOL_OPTIONS")
        .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60 -XX:MaxDirectMemorySize=128m");
    Container trainer = r.one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(trainer.getEnv()).extracting(EnvVar::getName).doesNotContain("JAVA_TOOL_OPTIONS");
    assertThat(HelmChartTest.env(trainer, "JDK_JAVA_OPTIONS")).isEqualTo("-Xss2m");
    assertThat(
            Chart.render("trainer: {enabled: true}")
                .one(Job.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    for (String old :
        new String[] {"inference: {javaToolOptions: '-Xmx1g'}", "trainer: {javaToolOptions: ''}"}) {
      assertThatThrownBy(() -> Chart.render(old))
          .as(old)
          .hasMessageContaining("values don't meet the specifications of the schema")
          .hasMessageContaining("javaToolOptions");
    }
  }

  @Test
  void inferencePodsHaveTheirOwnAccountAndReadOnlyCredentials() {
    Chart.Rendered r =
        Chart.render(
            """
            store: {credentials: {existingSecret: trainer-rw}}
            inference: {credentials: {existingSecret: inference-ro}}
            trainer: {enabled: true}
            """);
    PodSpec inference = inferencePod(r);
    PodSpec trainer = r.one(Job.class).getSpec().getTemplate().getSpec();
    assertThat(inference.getServiceAccountName()).isEqualTo("minibert-inference");
    assertThat(trainer.getServiceAccountName()).isEqualTo("minibert");
    assertThat(secretOf(inference.getContainers().get(0))).isEqualTo("inference-ro");
    assertThat(secretOf(trainer.getContainers().get(0))).isEqualTo("trainer-rw");
    // without inference.credentials, the store's (the trainer's) only with an explicit opt-in
    assertThatThrownBy(() -> Chart.render("store: {credentials: {existingSecret: trainer-rw}}"))
        .hasMessageContaining("allowWriterCredentials");
  }

  static String secretOf(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY"))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getSecretKeyRef()
        .getName();
  }

  @Test
  void aNetworkPolicyAndAManagementPortUnlessTurnedOff() {
    Chart.Rendered off =
        Chart.render("inference: {networkPolicy: {enabled: false}, management: {enabled: false}}");
    assertThat(off.all(NetworkPolicy.class)).isEmpty();
    assertThat(
            inferencePod(off)
                .getContainers()
                .get(0)
                .getReadinessProbe()
                .getHttpGet()
                .getPort()
                .getStrVal())
        .isEqualTo("http");
    assertThat(off.one(ConfigMap.class).getData()).doesNotContainKey("QUARKUS_MANAGEMENT_PORT");
    Chart.Rendered r =
        Chart.render(
            """
            inference:
              networkPolicy:
                apiFrom: [{podSelector: {matchLabels: {app: gateway}}}]
                metricsFrom: [{namespaceSelector: {matchLabels: {name: monitoring}}}]
              metrics: {serviceMonitor: {enabled: true}}
            """);
    Container c = inferencePod(r).getContainers().get(0);
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "management:9000");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", "9000");
    assertThat(r.one(Service.class).getSpec().getPorts())
        .extracting(ServicePort::getName)
        .containsExactly("http", "management");
    assertThat(r.one(ConfigMap.class).getData()).containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");

    NetworkPolicy np = r.one(NetworkPolicy.class);
    assertThat(np.spec().podSelector().matchLabels())
        .containsEntry("app.kubernetes.io/component", "inference");
    assertThat(np.spec().policyTypes()).containsExactly("Ingress");
    assertThat(np.spec().ingress()).hasSize(2);
    assertThat(np.spec().ingress().get(0).ports().get(0).port()).isEqualTo("http");
    assertThat(np.spec().ingress().get(0).from().get(0))
        .containsEntry(
            "podSelector", java.util.Map.of("matchLabels", java.util.Map.of("app", "gateway")));
    assertThat(np.spec().ingress().get(1).ports().get(0).port()).isEqualTo("management");
    assertThat(np.spec().ingress().get(1).from().get(0)).containsKey("namespaceSelector");
  }

  @Test
  void podsStopAfterLeavingTheEndpoints() {
    PodSpec pod = inferencePod(Chart.render(""));
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "10");
    PodSpec none = inferencePod(Chart.render("inference: {shutdown: {preStopSleepSeconds: 0}}"));
    assertThat(none.getContainers().get(0).getLifecycle()).isNull();
  }

  @Test
  void aQuoteInASweepConfigPathStaysInsideItsValue(@TempDir Path tmp)
      throws IOException, InterruptedException {
    String path = "/configs/it's \"mine\" $(touch " + tmp.resolve("pwned") + ").json";
    Chart.Rendered r =
        Chart.render(
            "sweep:\n  enabled: true\n  runs: [{name: a, config: '"
                + path.replace("'", "''")
                + "'}]\n");
    String env =
        r.all(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().contains("-sweep-"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get("run-0.env");
    Path file = Files.writeString(tmp.resolve("run-0.env"), env);
    Process sh =
        new ProcessBuilder(
                "/bin/sh", "-c", ". \"$1\" && printf %s \"$CONFIG\"", "sh", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(path);
    assertThat(tmp.resolve("pwned")).doesNotExist();
  }
}
