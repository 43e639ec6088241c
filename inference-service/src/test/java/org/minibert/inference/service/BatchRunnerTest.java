package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.onnx.ExecutionProvider;
import org.minibert.inference.onnx.SessionSettings;
import org.minibert.inference.testing.TinyModel;
import org.minibert.inference.version.ServedVersion;

/** One input the model cannot compute fails only its own job, on the real ONNX Runtime session. */
class BatchRunnerTest {
  private static ServedVersion version;

  @BeforeAll
  static void load() throws Exception {
    version =
        ServedVersion.load(
            "tiny", null, TinyModel.folder(), SessionSettings.of(ExecutionProvider.CPU, 1, 1));
  }

  @AfterAll
  static void close() {
    version.release();
  }

  private static FillMaskJob job(int i) {
    return new FillMaskJob(
        version, Runnable::run, "나는 [MASK]에 간다 " + i, "inputs[" + i + "]", 3, null, 5);
  }

  @Test
  void aFailingInputIsRetriedAloneAndOnlyItFails() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestTracing tracing =
        new RequestTracing(io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"), false);
    BatchRunner runner = new BatchRunner(new ServingMetrics(registry), tracing);
    FillMaskJob first = job(0);
    FillMaskJob broken = job(1);
    FillMaskJob last = job(2);
    // a token id beyond the vocabulary: ONNX Runtime's embedding lookup refuses the whole batch
    int[] ids = broken.input.ids().clone();
    ids[1] = 1_000_000;
    broken.input =
        new Encoded(
            ids,
            broken.input.typeIds(),
            broken.input.attentionMask(),
            broken.input.starts(),
            broken.input.ends());

    runner.process(List.of(first, broken, last));

    assertThat(first.result.get(5, TimeUnit.SECONDS).masks()).hasSize(1);
    assertThat(last.result.get(5, TimeUnit.SECONDS).masks()).hasSize(1);
    assertThatThrownBy(() -> broken.result.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfAny(BadInputException.class, InferenceFailedException.class)
        .hasMessageContaining("inputs[1]")
        .hasMessageContaining("on model version tiny");
    // the batch of three failed, then three calls alone: two succeeded
    assertThat(registry.get("te.batch.inference.failure").counter().count()).isEqualTo(2);
    assertThat(registry.get("te.batch.inference.success").counter().count()).isEqualTo(2);
  }
}
