package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

class HelmChartTest {

  private static final String ALL_ON =
      """
      store:
        credentials:
          existingSecret: minibert-s3
      inference:
        gpu:
          enabled: true
          nodeSelector:
            nvidia.com/gpu.present: "true"
        metrics:
          serviceMonitor:
            enabled: true
        autoscaling:
          targetMemoryUtilizationPercentage: 80
      trainer:
        enabled: true
        gpu:
          enabled: true
        epochs: 3
      sweep:
        enabled: true
      minio:
        enabled: true
        persistence:
          enabled: true
      images:
        pullSecrets: [registry-creds]
      """;

  // ---------------------------------------------------------------- lint

  @Test
  void lintStrictPassesWithDefaults() {
    LintResult result = Chart.lint(Chart.CHART);
    assertThat(result.isFailed()).as("lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  /**
   * helm-java's lint takes no values: lint a copy of the chart whose values.yaml has every feature
   * on.
   */
  @Test
  @SuppressWarnings("unchecked")
  void lintStrictPassesWithEveryFeatureOn(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path copy = tmp.resolve("minibert");
    try (Stream<Path> files = Files.walk(Chart.CHART)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(Chart.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Yaml yaml = new Yaml();
    Map<String, Object> base = yaml.load(Files.readString(Chart.CHART.resolve("values.yaml")));
    Map<String, Object> merged = Chart.merge(base, (Map<String, Object>) yaml.load(ALL_ON));
    Files.writeString(copy.resolve("values.yaml"), yaml.dump(merged));
    LintResult result = Chart.lint(copy);
    assertThat(result.isFailed()).as("lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  // ---------------------------------------------------------------- defaults

  @Test
  void defaultsRenderTheInferenceServiceOnly() {
    Chart.Rendered r = Chart.render("");
    assertThat(r.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount/minibert",
            "ServiceAccount/minibert-inference",
            "ConfigMap/minibert-inference",
            "Service/minibert-inference",
            "Deployment/minibert-inference",
            "HorizontalPodAutoscaler/minibert-inference",
            "PodDisruptionBudget/minibert-inference",
            "NetworkPolicy/minibert-inference",
            "Secret/minibert-api-key");
    assertThat(r.all(Job.class)).isEmpty();
  }

  @Test
  void inferenceDeploymentHasProbesLimitsAndALockedDownPod() {
    Chart.Rendered r = Chart.render("");
    Deployment d = r.one(Deployment.class);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(c.getImage()).isEqualTo("ghcr.io/minibert/inference:0.1.0");
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "management:9000");
    assertHttpProbe(c.getReadinessProbe(), "/q/health/ready");
    assertHttpProbe(c.getLivenessProbe(), "/q/health/live");
    assertHttpProbe(c.getStartupProbe(), "/q/health/started");
    // model download and warm-up: the startup probe allows minutes before liveness takes over
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(300);

    assertThat(c.getResources().getLimits())
        .containsKeys("cpu", "memory")
        .doesNotContainKey("nvidia.com/gpu");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")))
        .isGreaterThanOrEqualTo(
            Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")));

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    // a read-only root filesystem needs writable emptyDirs at /tmp (ONNX Runtime natives) and
    // /cache (models)
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/tmp", "/cache");
    assertThat(pod.getVolumes())
        .allSatisfy(v -> assertThat(v.getEmptyDir()).as(v.getName()).isNotNull());

    // HPA owns the replica count; settings come from the ConfigMap
    assertThat(d.getSpec().getReplicas()).isNull();
    assertThat(c.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("minibert-inference"));
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "9000")
        .containsEntry("prometheus.io/path", "/q/metrics")
        .containsKey("checksum/config");
    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getTolerations()).isNullOrEmpty();

    Service svc = r.one(Service.class);
    assertThat(svc.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(svc.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getTargetPort().getStrVal())
        .containsExactly("http:http", "management:management");
  }

  @Test
  void settingsConfigMapCarriesTheServiceContract() {
    ConfigMap cm = Chart.render("").one(ConfigMap.class);
    assertThat(cm.getData())
        .containsEntry("MINIBERT_STORE", "s3://minibert/models")
        .containsEntry("MINIBERT_MODEL", "minibert")
        .containsEntry("MINIBERT_POLL_INTERVAL", "30s")
        .containsEntry("MINIBERT_DEVICE", "cpu")
        .containsEntry("MINIBERT_CACHE_DIR", "/cache/models")
        .containsEntry("MINIBERT_THREADS_INTRA_OP", "1")
        .containsEntry("MINIBERT_BATCH_WORKERS", "0")
        .containsEntry("MINIBERT_BATCH_MAX_SIZE", "32")
        .containsEntry("MINIBERT_BATCH_MAX_DELAY", "0ms")
        .containsEntry("QUARKUS_HTTP_PORT", "8080")
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("DJL_CACHE_DIR", "/cache/djl")
        .containsEntry("HOME", "/cache/home")
        .doesNotContainKeys(
            "MINIBERT_VERSION",
            "AWS_ENDPOINT_URL_S3",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY");
    assertThat(cm.getData()).doesNotContainKey("JAVA_TOOL_OPTIONS"); // the image's own stay
    assertThat(cm.getData().get("JDK_JAVA_OPTIONS"))
        .contains("-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=");

    ConfigMap pinned =
        Chart.render(
                "inference: {settings: {version: v3}}\nstore: {endpoint: 'https://s3.example.org'}")
            .one(ConfigMap.class);
    assertThat(pinned.getData())
        .containsEntry("MINIBERT_VERSION", "v3")
        .containsEntry("AWS_ENDPOINT_URL_S3", "https://s3.example.org");
  }

  @Test
  void hpaAndPdbFollowTheirValues() {
    Chart.Rendered r = Chart.render("");
    HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("minibert-inference");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
    PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(r.one(Deployment.class).getSpec().getSelector().getMatchLabels());

    Chart.Rendered fixed =
        Chart.render(
            "inference: {replicas: 3, autoscaling: {enabled: false}, podDisruptionBudget: {enabled:"
                + " false}}");
    assertThat(fixed.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(fixed.all(PodDisruptionBudget.class)).isEmpty();
    assertThat(fixed.one(Deployment.class).getSpec().getReplicas()).isEqualTo(3);

    assertThatThrownBy(
            () -> Chart.render("inference: {autoscaling: {minReplicas: 5, maxReplicas: 2}}"))
        .hasMessageContaining("minReplicas must not exceed maxReplicas");
  }

  @Test
  void metricsCanUseAServiceMonitorInsteadOfAnnotations() {
    Chart.Rendered r =
        Chart.render(
            "inference: {metrics: {scrapeAnnotations: false, serviceMonitor: {enabled: true,"
                + " labels: {release: prom}}}}");
    ServiceMonitor sm = r.one(ServiceMonitor.class);
    assertThat(sm.metadata().labels()).containsEntry("release", "prom");
    assertThat(sm.spec().endpoints())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.port()).isEqualTo("management");
              assertThat(e.path()).isEqualTo("/q/metrics");
            });
    assertThat(sm.spec().selector().matchLabels())
        .isEqualTo(r.one(Service.class).getSpec().getSelector());
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey("prometheus.io/scrape");
  }

  // ---------------------------------------------------------------- GPU

  @Test
  void gpuOnlyWhenEnabledAndOnlyInLimits() {
    Container cpu =
        container(Chart.render("").one(Deployment.class).getSpec().getTemplate().getSpec());
    assertThat(cpu.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");

    Chart.Rendered r =
        Chart.render(
            """
            inference:
              gpu:
                enabled: true
                count: 2
                nodeSelector: {accelerator: h100}
              tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
            """);
    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container gpu = container(pod);
    assertThat(gpu.getImage()).isEqualTo("ghcr.io/minibert/inference-cuda:0.1.0");
    assertThat(gpu.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("2"))
        .containsKeys("cpu", "memory");
    assertThat(gpu.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
    assertThat(pod.getNodeSelector()).containsEntry("accelerator", "h100");
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("dedicated", "nvidia.com/gpu");
    assertThat(r.one(ConfigMap.class).getData()).containsEntry("MINIBERT_DEVICE", "cuda");
  }

  @Test
  void trainerGpuIsIndependentOfInferenceGpu() {
    Chart.Rendered r =
        Chart.render("trainer: {enabled: true, gpu: {enabled: true}}\nsweep: {enabled: true}");
    assertThat(
            container(r.one(Deployment.class).getSpec().getTemplate().getSpec())
                .getResources()
                .getLimits())
        .doesNotContainKey("nvidia.com/gpu");
    for (Job job : r.all(Job.class)) {
      Container c = container(job.getSpec().getTemplate().getSpec());
      assertThat(c.getImage())
          .as(job.getMetadata().getName())
          .isEqualTo("ghcr.io/minibert/trainer-cuda:0.1.0");
      assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(job.getSpec().getTemplate().getSpec().getTolerations())
          .extracting(t -> t.getKey())
          .contains("nvidia.com/gpu");
    }
    Chart.Rendered cpu = Chart.render("trainer: {enabled: true}");
    Container c = container(cpu.one(Job.class).getSpec().getTemplate().getSpec());
    assertThat(c.getImage()).isEqualTo("ghcr.io/minibert/trainer:0.1.0");
    assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  // ---------------------------------------------------------------- secrets

  @Test
  void credentialsOnlyByReferenceToAnExistingSecret() {
    Chart.Rendered none = Chart.render("trainer: {enabled: true}");
    assertThat(allEnv(none))
        .noneMatch(
            e -> e.getName().startsWith("AWS_ACCESS") || e.getName().startsWith("AWS_SECRET"));

    Chart.Rendered r = Chart.render(ALL_ON);
    // the only Secrets the chart writes are those it generates: the API key and MinIO's reader
    assertThat(r.all(Secret.class))
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("minibert-api-key", "minibert-inference-s3");
    List<EnvVar> env = allEnv(r);
    List<EnvVar> secretish =
        env.stream()
            .filter(e -> e.getName().matches(".*(SECRET|PASSWORD|ACCESS_KEY|ROOT_USER|API_KEY).*"))
            .toList();
    // inference (+ API key), trainer, sweep, minio, bucket job (+ the reader it creates)
    assertThat(secretish).hasSizeGreaterThanOrEqualTo(2 * 6 + 1);
    assertThat(secretish)
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).as(e.getName()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .as(e.getName())
                  .isIn("minibert-s3", "minibert-inference-s3", "minibert-api-key");
            });
    for (ConfigMap cm : r.all(ConfigMap.class)) {
      assertThat(cm.getData().keySet())
          .noneMatch(k -> k.contains("SECRET") || k.contains("ACCESS_KEY"));
    }
  }

  // ---------------------------------------------------------------- trainer Job

  @Test
  void trainerJobPreparesTrainsAndExportsResumably() {
    Chart.Rendered r = Chart.render("trainer: {enabled: true, runId: r7, maxSteps: 500}");
    Job job = r.one(Job.class);
    assertThat(job.getMetadata().getName()).isEqualTo("minibert-train-r7");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(4);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(86400L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(604800);
    assertThat(job.getSpec().getCompletionMode()).isNull();
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("OnFailure");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = container(pod);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getCommand()).containsExactly("/bin/sh", "/opt/minibert/scripts/train.sh");
    assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(env(c, "RUN_DIR")).isEqualTo("/work/runs/r7");
    assertThat(env(c, "DATA_DIR")).isEqualTo("/work/data");
    assertThat(env(c, "TRAIN_ARGS")).isEqualTo("--max-steps 500 --batch-size 16 --max-lr 0.001");
    assertThat(env(c, "MODEL")).isEqualTo("minibert");
    assertThat(env(c, "MINIBERT_STORE")).isEqualTo("s3://minibert/models");

    // checkpoints on a PVC, so that a replaced pod resumes
    Volume work =
        pod.getVolumes().stream().filter(v -> v.getName().equals("work")).findFirst().orElseThrow();
    PersistentVolumeClaim pvc = r.one(PersistentVolumeClaim.class);
    assertThat(work.getPersistentVolumeClaim().getClaimName())
        .isEqualTo(pvc.getMetadata().getName());
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/work", "/tmp", "/cache");

    String script =
        r.all(ConfigMap.class).stream()
            .filter(cm -> cm.getData().containsKey("train.sh"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get("train.sh");
    assertThat(script).contains("dataset.json", "mb prepare", "mb train", "--resume", "mb export");

    Chart.Rendered ephemeral =
        Chart.render("trainer: {enabled: true, persistence: {enabled: false}}");
    assertThat(ephemeral.all(PersistentVolumeClaim.class)).isEmpty();
    Chart.Rendered existing =
        Chart.render("trainer: {enabled: true, persistence: {existingClaim: my-runs}}");
    assertThat(existing.all(PersistentVolumeClaim.class)).isEmpty();
    assertThat(existing.one(Job.class).getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("my-runs"));
  }

  // ---------------------------------------------------------------- sweep

  @Test
  void sweepIsAnIndexedJobWithOneRunPerIndex() {
    Chart.Rendered r =
        Chart.render(
            """
            sweep:
              enabled: true
              id: lr
              parallelism: 2
              runs:
                - {name: a, maxLr: 0.003}
                - {name: b, maxLr: 0.0003, config: shallow-1L-144D, maxSteps: 50}
            """);
    Job job = r.one(Job.class);
    assertThat(job.getMetadata().getName()).isEqualTo("minibert-sweep-lr");
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(2);
    assertThat(job.getSpec().getParallelism()).isEqualTo(2);
    assertThat(job.getSpec().getBackoffLimitPerIndex()).isEqualTo(2);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    Container c = container(job.getSpec().getTemplate().getSpec());
    assertThat(env(c, "SWEEP_RUNS_DIR")).isEqualTo("/opt/minibert/sweep");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/opt/minibert/sweep", "/work");

    Map<String, String> runs =
        r.all(ConfigMap.class).stream()
            .filter(cm -> cm.getMetadata().getName().equals("minibert-sweep-lr"))
            .findFirst()
            .orElseThrow()
            .getData();
    assertThat(runs).containsOnlyKeys("run-0.env", "run-1.env");
    assertThat(runs.get("run-0.env"))
        .contains(
            "TRAIN_ARGS='--batch-size 16 --max-lr 0.003'",
            "MODEL='minibert-lr-a'",
            "CONFIG='deep-6L-96D'",
            "RUN_DIR='/work/sweeps/lr/a/run'");
    assertThat(runs.get("run-1.env"))
        .contains(
            "TRAIN_ARGS='--max-steps 50 --batch-size 16 --max-lr 0.0003'",
            "MODEL='minibert-lr-b'",
            "CONFIG='shallow-1L-144D'");

    assertThatThrownBy(() -> Chart.render("sweep: {enabled: true, runs: [{name: a}, {name: a}]}"))
        .hasMessageContaining("names must be unique");
  }

  // ---------------------------------------------------------------- MinIO

  @Test
  void minioForDevelopmentWithABucketJob() {
    Chart.Rendered r =
        Chart.render("minio: {enabled: true}\nstore: {credentials: {existingSecret: dev-s3}}");
    Deployment minio = r.named(Deployment.class, "-minio").orElseThrow();
    Container c = container(minio.getSpec().getTemplate().getSpec());
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().startsWith("MINIO_ROOT"))
        .allSatisfy(
            e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("dev-s3"))
        .hasSize(2);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    Job bucket = r.one(Job.class);
    assertThat(bucket.getMetadata().getName()).startsWith("minibert-minio-bucket-");
    assertThat(container(bucket.getSpec().getTemplate().getSpec()).getArgs().get(0))
        .contains("mc mb --ignore-existing");
    assertThat(r.one(ConfigMap.class).getData())
        .containsEntry("AWS_ENDPOINT_URL_S3", "http://minibert-minio:9000");
    assertThat(r.named(Service.class, "-minio")).isPresent();
  }

  // ---------------------------------------------------------------- schema

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gpu flag is not a boolean           | inference: {gpu: {enabled: 'yes'}}",
        "negative replicas                   | inference: {replicas: -1}",
        "misspelled key                      | inference: {replica: 3}",
        "inline credentials                  | store: {credentials: {accessKey: AKIA123, secretKey:"
            + " hunter2}}",
        "MinIO without a credentials Secret  | minio: {enabled: true}",
        "unknown promote mode                | trainer: {promote: sometimes}",
        "unknown model config                | trainer: {config: huge-24L-1024D}",
        "learning rate out of range          | trainer: {maxLr: 3}",
        "sweep run name not DNS-safe         | sweep: {runs: [{name: Bad_Name}]}",
        "empty sweep                         | sweep: {runs: []}",
        "memory limit missing                | inference: {resources: {limits: {memory: null}}}",
        "unknown device                      | inference: {settings: {device: gpu}}",
        "probe path not absolute             | inference: {probes: {readiness: {path: health}}}",
        "bad duration                        | inference: {settings: {pollInterval: soon}}",
        "HPA without a metric                | inference: {autoscaling:"
            + " {targetCPUUtilizationPercentage: null}}",
        "root user allowed                   | podSecurityContext: {runAsNonRoot: false}",
        "bucket name                         | store: {bucket: My_Bucket}",
      })
  void schemaRejectsBadValues(String why, String values) {
    assertThatThrownBy(() -> Chart.render(values))
        .as(why)
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void schemaAcceptsEveryFeatureOn() {
    Chart.Rendered r = Chart.render(ALL_ON);
    assertThat(r.all(Job.class)).hasSize(3);
    assertThat(r.all(Deployment.class)).hasSize(2);
  }

  /** The unknown-field check itself: fabric8 would silently keep these in additionalProperties. */
  @Test
  void typedParsingRejectsMisspelledFields() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
        """;
    assertThatThrownBy(() -> Chart.parse(deployment))
        .hasMessageContaining("spec.template.spec.containers[0].[readinesProbe]");
    assertThatThrownBy(
            () ->
                Chart.parse(
                    "apiVersion: batch/v1\n"
                        + "kind: Job\n"
                        + "metadata: {name: j}\n"
                        + "spec: {completionMod: Indexed}\n"))
        .hasMessageContaining("[completionMod]");
    assertThatThrownBy(
            () ->
                Chart.parse(
                    "apiVersion: monitoring.coreos.com/v1\n"
                        + "kind: ServiceMonitor\n"
                        + "metadata: {name: m}\n"
                        + "spec: {endpoint: []}\n"))
        .hasMessageContaining("endpoint");
    assertThatThrownBy(() -> Chart.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n"))
        .hasMessageContaining("no typed model for v1/Pod");
  }

  // ---------------------------------------------------------------- helpers

  static void assertHttpProbe(Probe p, String path) {
    assertThat(p).as(path).isNotNull();
    assertThat(p.getHttpGet().getPath()).isEqualTo(path);
    // health is on the management port, apart from the API
    assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("management");
  }

  static Container container(PodSpec pod) {
    assertThat(pod.getContainers()).hasSize(1);
    return pod.getContainers().get(0);
  }

  static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name))
        .getValue();
  }

  static List<EnvVar> allEnv(Chart.Rendered r) {
    List<PodSpec> pods = new ArrayList<>();
    r.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
    r.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
    List<EnvVar> env = new ArrayList<>();
    for (PodSpec p : pods) {
      for (Container c : p.getContainers()) {
        if (c.getEnv() != null) {
          env.addAll(c.getEnv());
        }
      }
    }
    return env;
  }
}
