package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the chart's train.sh (from the rendered ConfigMap) with /bin/sh and a fake {@code java} on
 * PATH that records each trainer command: checks the restart behaviour a Job relies on (skip
 * prepare when dataset.json exists, {@code --resume} an interrupted run, never train or publish a
 * finished run twice, the sweep index).
 */
class TrainScriptTest {

  private static final String FAKE_JAVA =
      """
      #!/bin/sh
      # fake: java -Dai.djl.offline=true -jar /app/trainer-service.jar COMMAND ARGS...
      [ "$1" = "-Dai.djl.offline=true" ] && [ "$2" = "-jar" ] && [ "$3" = "/app/trainer-service.jar" ] || { echo "bad java call: $*" >&2; exit 90; }
      shift 3
      echo "$*" >> "$LOG"
      cmd="$1"; out=""
      while [ $# -gt 0 ]; do [ "$1" = "--out" ] && out="$2"; shift; done
      case "$cmd" in
        prepare) [ -e "$out" ] && [ -n "$(ls -A "$out")" ] && { echo "prepare: $out not empty" >&2; exit 2; }
                 mkdir -p "$out" && echo '{}' > "$out/dataset.json" ;;
        train)   mkdir -p "$out" && echo step >> "$out/checkpoint"; [ -z "${FAIL_TRAIN:-}" ] || exit 3 ;;
        export)  [ -z "${FAIL_EXPORT:-}" ] || exit 4 ;;
      esac
      """;

  @TempDir Path tmp;
  Path script;
  Path log;
  Map<String, String> runs;

  @BeforeEach
  void setUp() throws IOException {
    List<ConfigMap> maps =
        Chart.render("trainer: {enabled: true}\nsweep: {enabled: true}").all(ConfigMap.class);
    String train =
        maps.stream()
            .filter(c -> c.getData().containsKey("train.sh"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get("train.sh");
    runs =
        maps.stream()
            .filter(c -> c.getMetadata().getName().contains("-sweep-"))
            .findFirst()
            .orElseThrow()
            .getData();
    script = Files.writeString(tmp.resolve("train.sh"), train);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), FAKE_JAVA);
    assertThat(java.toFile().setExecutable(true)).isTrue();
    log = tmp.resolve("calls.log");
  }

  private int run(Map<String, String> extra) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
    env.put("LOG", log.toString());
    env.put("MINIBERT_STORE", "s3://minibert/models");
    env.put("TRAIN_INPUT", "/opt/minibert/samples/kowiki-sample.xml");
    env.put("PREPARE_ARGS", "--vocab-size 8000");
    env.put("DATA_DIR", tmp.resolve("work/data").toString());
    env.put("RUN_DIR", tmp.resolve("work/runs/1").toString());
    env.put("CONFIG", "deep-6L-96D");
    env.put("TRAIN_ARGS", "--max-steps 10");
    env.put("MODEL", "minibert");
    env.put("PROMOTE", "if-better");
    env.putAll(extra);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    System.out.print(out);
    return p.exitValue();
  }

  private List<String> calls() throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    Files.deleteIfExists(log);
    return lines;
  }

  @Test
  void freshRunPreparesTrainsAndExports() throws Exception {
    assertThat(run(Map.of())).isZero();
    List<String> calls = calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0))
        .startsWith(
            "prepare --input /opt/minibert/samples/kowiki-sample.xml --out "
                + tmp.resolve("work/data"));
    assertThat(calls.get(1))
        .startsWith("train --data " + tmp.resolve("work/data"))
        .contains("--max-steps 10")
        .doesNotContain("--resume");
    assertThat(calls.get(2))
        .isEqualTo(
            "export --run "
                + tmp.resolve("work/runs/1")
                + " --store s3://minibert/models --model minibert --promote if-better");

    // the Job's pod is re-created after success (TTL, upgrade): nothing is trained or published
    // twice
    assertThat(run(Map.of())).isZero();
    assertThat(calls()).isEmpty();
  }

  @Test
  void interruptedTrainingResumesWithoutPreparingAgain() throws Exception {
    assertThat(run(Map.of("FAIL_TRAIN", "1"))).isEqualTo(3);
    assertThat(calls()).extracting(c -> c.split(" ")[0]).containsExactly("prepare", "train");
    assertThat(run(Map.of())).isZero();
    List<String> calls = calls();
    assertThat(calls).extracting(c -> c.split(" ")[0]).containsExactly("train", "export");
    assertThat(calls.get(0)).endsWith("--resume");
  }

  @Test
  void failedExportIsRetriedWithoutTrainingAgain() throws Exception {
    assertThat(run(Map.of("FAIL_EXPORT", "1"))).isEqualTo(4);
    calls();
    assertThat(run(Map.of())).isZero();
    assertThat(calls()).extracting(c -> c.split(" ")[0]).containsExactly("export");
  }

  @Test
  void sweepPodPicksItsRunFromTheCompletionIndex() throws Exception {
    Path sweepDir = Files.createDirectories(tmp.resolve("sweep"));
    for (Map.Entry<String, String> e : runs.entrySet()) {
      Files.writeString(
          sweepDir.resolve(e.getKey()),
          e.getValue().replace("'/work/", "'" + tmp.resolve("work") + "/"));
    }
    Map<String, String> env =
        new HashMap<>(Map.of("SWEEP_RUNS_DIR", sweepDir.toString(), "PROMOTE", "always"));
    assertThat(run(env)).as("no JOB_COMPLETION_INDEX").isNotZero();
    assertThat(calls()).isEmpty();

    env.put("JOB_COMPLETION_INDEX", "1");
    assertThat(run(env)).isZero();
    List<String> calls = calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0)).contains("--out " + tmp.resolve("work/sweeps/sweep1/lr-1e-3/data"));
    assertThat(calls.get(1))
        .contains("--out " + tmp.resolve("work/sweeps/sweep1/lr-1e-3/run"), "--max-lr 0.001");
    assertThat(calls.get(2)).endsWith("--model minibert-sweep1-lr-1e-3 --promote always");
  }
}
