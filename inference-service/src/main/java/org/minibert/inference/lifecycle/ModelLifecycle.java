package org.minibert.inference.lifecycle;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.onnx.ExecutionProvider;
import org.minibert.inference.onnx.SessionSettings;
import org.minibert.inference.store.CacheFolder;
import org.minibert.inference.store.ModelSource;
import org.minibert.inference.store.Redaction;
import org.minibert.inference.store.RegistryModelSource;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * Loads the model at start-up and keeps it current; {@link Reloader} decides when to try which
 * version and what a failure means, this class does the loading.
 *
 * <ul>
 *   <li>Start: the execution provider is chosen (a {@code cuda} setting that cannot be met fails
 *       start-up here), leftover staging folders are removed from the cache, then a background
 *       thread reads {@code LATEST} (or the pinned {@code minibert.version}), checks from the
 *       manifest that the version fits in memory ({@link MemoryBudget}), fetches and verifies it,
 *       loads it, runs a warm-up inference and only then installs it: readiness turns UP. Failures
 *       are retried with exponential backoff, never a crash loop; readiness stays DOWN with the
 *       reason.
 *   <li>Hot reload: about every {@code minibert.poll-interval} (jittered) {@code LATEST} is read
 *       again; a new version is loaded beside the serving one and swapped in atomically; the old
 *       session closes when its in-flight requests finish, and the cache keeps the serving and the
 *       previous version only. A version that fails is logged and counted and the old one keeps
 *       serving; transient failures are retried with backoff, and only repeated permanent ones
 *       reject the version until {@code LATEST} names another one.
 * </ul>
 */
@ApplicationScoped
public class ModelLifecycle implements Reloader.Steps {
  private static final Logger LOG = Logger.getLogger(ModelLifecycle.class);

  @Inject MiniBertConfig config;
  @Inject CurrentVersion holder;
  @Inject MeterRegistry registry;

  private ExecutionProvider provider;
  private ModelSource source;
  private MemoryBudget memory;
  private Reloader reloader;
  private ScheduledExecutorService executor;
  private Counter loadSuccesses;
  private Counter loadFailures;
  private MultiGauge versionInfo;
  private Path cacheDir;
  private volatile boolean started;

  void onStart(@Observes StartupEvent event) {
    provider = ExecutionProvider.resolve(config.device());
    LOG.infof(
        "ONNX Runtime execution provider: %s (minibert.device=%s, %d intra-op thread(s))",
        provider.label(), config.device().name().toLowerCase(), config.threads().intraOp());
    MiniBertConfig.Reload reload = config.reload();
    cacheDir = cacheFolder();
    try {
      source =
          new RegistryModelSource(config.store(), config.model(), cacheDir, reload.fetchTimeout());
    } catch (IllegalArgumentException e) {
      // the specification can carry credentials (s3://key:secret@host/...): never echo them
      throw new IllegalArgumentException(Redaction.redact(e.getMessage()));
    }
    memory = new MemoryBudget(reload.memoryFactor(), MemoryBudget::availableBytes);
    loadSuccesses =
        Counter.builder("minibert.model.reloads")
            .tag("result", "success")
            .description("model versions loaded and swapped in")
            .register(registry);
    loadFailures =
        Counter.builder("minibert.model.reloads")
            .tag("result", "failure")
            .description("attempts to fetch, verify or load a model version that failed")
            .register(registry);
    versionInfo =
        MultiGauge.builder("minibert.model.info")
            .description("1 for the version being served")
            .register(registry);
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "minibert-model-loader");
              thread.setDaemon(true);
              return thread;
            });
    if (config.version().isPresent()) {
      LOG.infof("serving the pinned version %s: no hot reload", config.version().get());
    } else if (config.pollInterval().isZero() || config.pollInterval().isNegative()) {
      LOG.info("minibert.poll-interval is 0: no hot reload");
    }
    reloader =
        new Reloader(
            this,
            new Reloader.Settings(
                config.pollInterval(),
                reload.jitter(),
                config.retry().initialBackoff(),
                config.retry().maxBackoff(),
                reload.badAttempts(),
                config.version().isPresent()),
            new Random());
    LOG.infof("model store %s, cache %s", Redaction.redact(source.uri()), cacheDir);
    holder.setNotReadyReason("loading the model");
    executor.execute(() -> prune(null, null));
    reloader.start(executor);
    started = true;
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
    holder.clear("shutting down");
    if (source != null) {
      source.close();
    }
  }

  @Override
  public Optional<String> wanted() throws Exception {
    if (config.version().isPresent()) {
      return config.version();
    }
    return source.latest();
  }

  @Override
  public String serving() {
    ServedVersion serving = holder.peek();
    return serving == null ? null : serving.version();
  }

  @Override
  public Optional<String> refusal(String version) throws Exception {
    return memory.refusal(source.manifest(version));
  }

  @Override
  public void notReady(String reason) {
    holder.setNotReadyReason(reason);
  }

  @Override
  public void load(String version) throws Exception {
    long start = System.nanoTime();
    ServedVersion model;
    try {
      ModelSource.Fetched fetched = source.fetch(version);
      try {
        model =
            ServedVersion.load(
                version,
                fetched.manifest(),
                fetched.folder(),
                new SessionSettings(
                    provider,
                    config.threads().intraOp(),
                    config.threads().interOp(),
                    config.onnx().cpuArena(),
                    config.onnx().memoryPattern(),
                    config.onnx().cacheOptimized()));
      } catch (IOException | OrtException | RuntimeException e) {
        throw new UnusableVersionException(Reloader.describe(e), e);
      }
      try {
        model.warmUp();
      } catch (Exception e) {
        model.release();
        throw new UnusableVersionException("warm-up failed: " + Reloader.describe(e), e);
      }
    } catch (Exception | LinkageError e) {
      loadFailures.increment();
      throw e;
    }
    String previous = serving();
    holder.swap(model);
    loadSuccesses.increment();
    versionInfo.register(
        List.of(
            MultiGauge.Row.of(
                Tags.of("model", config.model(), "version", version, "provider", provider.label()),
                1)),
        true);
    LOG.infof(
        "serving %s version %s on %s (loaded, verified and warmed up in %d ms)",
        config.model(),
        version,
        provider.label(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    prune(version, previous);
  }

  /** Keeps the serving and the previous version in the cache; a failure is only logged. */
  private void prune(String serving, String previous) {
    try {
      List<String> removed = source.prune(serving, previous);
      if (!removed.isEmpty()) {
        LOG.infof("removed from the model cache: %s", String.join(", ", removed));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot prune the model cache %s: %s", cacheDir, e.getMessage());
    }
  }

  /**
   * The last load or poll failure (or a refusal for memory) as strangers may read it: its kind,
   * with no local path, store address or error text (those are in the log); null when there is
   * none.
   */
  public String lastError() {
    return reloader == null ? null : reloader.publicError();
  }

  /** The cache folder, private to the user running the service ({@link CacheFolder}). */
  private Path cacheFolder() {
    Path folder =
        CacheFolder.choose(config.cacheDir(), System.getenv(), System.getProperty("user.home"));
    try {
      return CacheFolder.prepare(folder);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public boolean started() {
    return started;
  }
}
