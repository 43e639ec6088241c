package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the SDK disabled, the bean makes no span at all, even though the tracer it is given is a
 * recording one (as Quarkus' is then).
 */
class RequestTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void tracingOffRunsTheWorkWithoutASpan() throws Exception {
    RequestTracing tracing = new RequestTracing(provider.get("test"), true);

    boolean inSpan = tracing.tokenize("fill-mask", 1, () -> Span.current().isRecording());
    String answer = tracing.infer("v1", List.of(), () -> "ran");

    assertThat(inSpan).isFalse();
    assertThat(answer).isEqualTo("ran");
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void tracingOnRecordsTheTokenizeSpan() {
    RequestTracing tracing = new RequestTracing(provider.get("test"), false);

    boolean inSpan = tracing.tokenize("fill-mask", 1, () -> Span.current().isRecording());

    assertThat(inSpan).isTrue();
    assertThat(exporter.getFinishedSpanItems())
        .extracting(s -> s.getName())
        .containsExactly(RequestTracing.TOKENIZE);
  }
}
