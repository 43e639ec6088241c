package org.minibert.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * The service's settings ({@code minibert.*}); each is also an environment variable ({@code
 * minibert.batch.max-size} is {@code MINIBERT_BATCH_MAX_SIZE}). The README's configuration table
 * lists them.
 */
@ConfigMapping(prefix = "minibert")
public interface MiniBertConfig {

  /** The object store: a local folder or {@code s3://bucket/prefix}. */
  @WithDefault("./model-store")
  String store();

  /** The model name inside the store. */
  @WithDefault("minibert")
  String model();

  /** Serve this version instead of following {@code LATEST} (no hot reload then). */
  Optional<String> version();

  /** How often {@code LATEST} is read for a new version; 0 disables hot reload. */
  @WithDefault("30s")
  Duration pollInterval();

  /** Which ONNX Runtime execution provider to use. */
  @WithDefault("auto")
  Device device();

  /** Where downloaded versions are kept (verified copies are reused across restarts). */
  @WithDefault("${java.io.tmpdir}/minibert-cache")
  String cacheDir();

  Threads threads();

  Onnx onnx();

  Batch batch();

  Limits limits();

  /** Backoff of the start-up retries while the store is unreachable or has no version yet. */
  Retry retry();

  enum Device {
    AUTO,
    CUDA,
    CPU
  }

  interface Threads {
    /** ONNX Runtime intra-op threads of the session (one was steadiest on 2 cores). */
    @WithDefault("1")
    int intraOp();

    /** ONNX Runtime inter-op threads of the session. */
    @WithDefault("1")
    int interOp();
  }

  /** ONNX Runtime session options (README "Serving speed" has the measurements). */
  interface Onnx {
    /** ONNX Runtime's CPU arena: reuses memory across runs, keeps the largest batch's. */
    @WithDefault("true")
    boolean cpuArena();

    /** ONNX Runtime's memory pattern: one planned allocation per input shape seen. */
    @WithDefault("true")
    boolean memoryPattern();

    /**
     * Keep the graph as ONNX Runtime optimized it beside the version's verified copy ({@code
     * optimized/}) and load that on the next start (CPU provider only).
     */
    @WithDefault("true")
    boolean cacheOptimized();
  }

  interface Batch {
    /** The most requests one ONNX Runtime call serves. */
    @WithDefault("32")
    int maxSize();

    /** How long the first request of a batch waits for company. */
    @WithDefault("2ms")
    Duration maxDelay();

    /**
     * Threads that run batches, each an ONNX Runtime call of its own on the shared session (2 uses
     * both cores of a 2-core machine; the event loops and tokenization take little).
     */
    @WithDefault("2")
    int workers();

    /** Requests waiting beyond this are refused with 503 and Retry-After. */
    @WithDefault("256")
    int queueCapacity();

    /** Seconds a refused client is told to wait ({@code Retry-After}). */
    @WithDefault("1")
    int retryAfterSeconds();
  }

  interface Limits {
    /** The most {@code [MASK]}s in one text. */
    @WithDefault("5")
    int maxMasks();

    /** The largest {@code top_k}. */
    @WithDefault("50")
    int maxTopK();

    /** The largest POST body in bytes (answered 413 as problem+json above it). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** The most texts or pairs in one POST. */
    @WithDefault("64")
    int maxInputs();
  }

  interface Retry {
    @WithName("initial-backoff")
    @WithDefault("1s")
    Duration initialBackoff();

    @WithName("max-backoff")
    @WithDefault("30s")
    Duration maxBackoff();
  }
}
