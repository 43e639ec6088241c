package org.minibert.inference.service;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's own trace spans, under the HTTP server span of each request (OpenTelemetry through
 * quarkus-opentelemetry), made only while tracing is on ({@code quarkus.otel.sdk.disabled=false}).
 * While it is off, the default, every method runs its work and nothing else: the injected tracer
 * still builds real SDK spans then (root spans, as the HTTP span is not recorded), which an
 * allocation profile showed on every request and batch, though no exporter ever receives them.
 *
 * <ul>
 *   <li>{@value #TOKENIZE}: validating and tokenizing a request's texts, on its thread;
 *   <li>{@value #QUEUE}: one job's wait in the dynamic batcher, from submit to the start of its
 *       batch;
 *   <li>{@value #INFER}: one ONNX Runtime run of a batch; its parent is the request of the batch's
 *       first job, and it links to the requests of all its jobs.
 * </ul>
 */
@ApplicationScoped
public class RequestTracing {
  public static final String TOKENIZE = "minibert.tokenize";
  public static final String QUEUE = "minibert.queue";
  public static final String INFER = "minibert.infer";

  static final AttributeKey<String> TASK = AttributeKey.stringKey("minibert.task");
  static final AttributeKey<Long> INPUTS = AttributeKey.longKey("minibert.inputs");
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("minibert.batch.size");
  static final AttributeKey<String> VERSION = AttributeKey.stringKey("minibert.version");

  private final Tracer tracer;
  private final boolean enabled;

  @Inject
  public RequestTracing(
      Tracer tracer,
      @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
          boolean sdkDisabled) {
    this.tracer = tracer;
    this.enabled = !sdkDisabled;
  }

  /** Runs a request's validation and tokenization (creating its jobs) in a span. */
  <T> T tokenize(String task, int inputs, Supplier<T> work) {
    if (!enabled) {
      return work.get();
    }
    Span span =
        tracer
            .spanBuilder(TOKENIZE)
            .setAttribute(TASK, task)
            .setAttribute(INPUTS, (long) inputs)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  /** Marks the moment a job enters the queue (its request's context is captured with it). */
  void queued(Job<?> job) {
    if (!enabled) {
      return;
    }
    job.traceContext = Context.current();
    job.queuedAt = Instant.now();
  }

  /** Ends the queue span of every job of a batch that starts now. */
  void dequeued(List<? extends Job<?>> jobs) {
    Instant now = Instant.now();
    for (Job<?> job : jobs) {
      if (job.traceContext == null) {
        continue;
      }
      tracer
          .spanBuilder(QUEUE)
          .setParent(job.traceContext)
          .setStartTimestamp(job.queuedAt)
          .startSpan()
          .end(now);
    }
  }

  /** Runs one batch on the model in a span. */
  <T> T infer(String version, List<? extends Job<?>> jobs, Callable<T> run) throws Exception {
    if (!enabled) {
      return run.call();
    }
    Context parent = jobs.get(0).traceContext != null ? jobs.get(0).traceContext : Context.root();
    var builder =
        tracer
            .spanBuilder(INFER)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(BATCH_SIZE, (long) jobs.size())
            .setAttribute(VERSION, version);
    for (Job<?> job : jobs) {
      if (job.traceContext != null) {
        builder.addLink(Span.fromContext(job.traceContext).getSpanContext());
      }
    }
    Span span = builder.startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return run.call();
    } catch (Exception e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }
}
