package org.minibert.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The service's settings ({@code minibert.*}); each is also an environment variable ({@code
 * minibert.batch.max-size} is {@code MINIBERT_BATCH_MAX_SIZE}). docs/serve.md's configuration table
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

  /**
   * Where downloaded versions are kept (verified copies are reused across restarts). Unset: {@code
   * $XDG_CACHE_HOME/minibert}, else {@code ~/.cache/minibert}, private to the user running the
   * service ({@link org.minibert.inference.store.CacheFolder}).
   */
  Optional<String> cacheDir();

  /**
   * The API keys: when set, every route but the health checks and the playground's static page
   * needs {@code Authorization: Bearer <key>}. Several keys, comma-separated, are accepted side by
   * side, so that a key can be rotated without downtime. Unset (the local demo): no authentication.
   */
  Optional<List<String>> apiKey();

  /**
   * A request still queued this long after it arrived is answered 503 (with Retry-After) at once
   * rather than computed late.
   */
  @WithDefault("5s")
  Duration requestTimeout();

  Threads threads();

  Onnx onnx();

  Batch batch();

  Limits limits();

  /**
   * Backoff of the loader's retries: at start-up while the store is unreachable or has no version
   * yet, and on hot reload after a failed fetch or load.
   */
  Retry retry();

  Reload reload();

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

  /** ONNX Runtime session options (the measurements behind them: bench/out/serving.md). */
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

    /**
     * The most padded tokens one batch computes: its inputs times its longest input (as Hugging
     * Face text-embeddings-inference's {@code max-batch-tokens}); an input alone over it runs
     * alone.
     */
    @WithDefault("4096")
    int maxBatchTokens();

    /**
     * How long the first request of a batch waits for company. 0 (the default) takes only what is
     * already queued when a worker is free, as continuous batching does: batches still form while
     * the workers are busy, and no worker idles waiting (measured against a 2 ms delay:
     * bench/JOURNAL.md).
     */
    @WithDefault("0ms")
    Duration maxDelay();

    /**
     * Threads that run batches, each an ONNX Runtime call of its own on the shared session. 0 (the
     * default): one per available processor for each {@code threads.intra-op} thread, so that
     * workers x intra-op threads = the processors (2 on a 2-core machine or a 2-CPU container; 1
     * when intra-op is 0, ONNX Runtime's every-core pool). The event loops and tokenization take
     * little beside them.
     */
    @WithDefault("0")
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

    /**
     * The longest text (each of {@code inputs}, {@code first}, {@code second}, the query's {@code
     * text}) in UTF-16 units, checked before it is tokenized.
     */
    @WithDefault("2000")
    int maxTextChars();

    /**
     * The most candidates one fill-mask request may ask for: the sum over its texts of masks x
     * {@code top_k}. Each candidate carries its whole text, so this and {@link #maxTextChars()}
     * bound the size of the answer.
     */
    @WithDefault("1000")
    int maxCandidates();

    /**
     * The most inference requests ({@code /fill-mask}, {@code /nsp}, {@code /v2/.../infer}) handled
     * at once; one more is answered 429 with Retry-After (as text-embeddings-inference's {@code
     * --max-concurrent-requests}).
     */
    @WithDefault("512")
    int maxConcurrentRequests();

    /**
     * The largest share of the batch queue's free places one request may take: a request of n
     * inputs is admitted only while n is at most this times the free places, else it is answered
     * 429 with Retry-After. Large requests are refused while the queue still has room for small
     * ones, so that one client's many-text requests cannot fill the queue under everyone else. 1
     * lets a request take the whole queue (no check; a full queue is then 503).
     */
    @WithDefault("0.5")
    double maxQueueShare();
  }

  interface Reload {
    /**
     * Each poll comes after {@code poll-interval} times a random factor in [1 - jitter, 1 +
     * jitter], so that replicas started together do not read the store in step.
     */
    @WithDefault("0.2")
    double jitter();

    /**
     * Failed attempts in a row that reject a version until LATEST changes; only failures that
     * trying again will not cure count (a checksum or size that does not match the manifest, a
     * model that does not load). Timeouts and unreachable stores are retried for as long as it
     * takes.
     */
    @WithDefault("3")
    int badAttempts();

    /** The longest one version's download may take, all files together. */
    @WithDefault("10m")
    Duration fetchTimeout();

    /**
     * A version is loaded only when the memory available (the container's limit, else the
     * machine's) is at least this many times the size of its files: the new session is built beside
     * the serving one. 0 disables the check.
     */
    @WithDefault("2.0")
    double memoryFactor();
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
