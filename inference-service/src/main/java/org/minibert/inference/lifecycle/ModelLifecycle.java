package org.minibert.inference.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.minibert.core.registry.ModelLayout;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.onnx.ExecutionProvider;
import org.minibert.inference.onnx.SessionSettings;
import org.minibert.inference.store.ModelSource;
import org.minibert.inference.store.RegistryModelSource;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * Loads the model at start-up and keeps it current.
 *
 * <ul>
 *   <li>Start: the execution provider is chosen (a {@code cuda} setting that cannot be met fails
 *       start-up here), then a background thread reads {@code LATEST} (or the pinned {@code
 *       minibert.version}), fetches and verifies the version, loads it, runs a warm-up inference
 *       and only then installs it: readiness turns UP. Failures (store unreachable, nothing
 *       published yet, a bad version) are retried with exponential backoff, never a crash loop;
 *       readiness stays DOWN with the reason.
 *   <li>Hot reload: every {@code minibert.poll-interval} {@code LATEST} is read again; a new
 *       version is loaded beside the serving one and swapped in atomically; the old session closes
 *       when its in-flight requests finish. A version that fails to fetch, verify or load is logged
 *       and counted, the old one keeps serving, and that version is not tried again until {@code
 *       LATEST} names another one.
 * </ul>
 */
@ApplicationScoped
public class ModelLifecycle {
  private static final Logger LOG = Logger.getLogger(ModelLifecycle.class);

  @Inject MiniBertConfig config;
  @Inject CurrentVersion holder;
  @Inject MeterRegistry registry;

  private ExecutionProvider provider;
  private ModelSource source;
  private ScheduledExecutorService executor;
  private Counter loadSuccesses;
  private Counter loadFailures;
  private MultiGauge versionInfo;
  private volatile String rejectedVersion;
  private volatile String lastError;
  private volatile boolean started;

  void onStart(@Observes StartupEvent event) {
    provider = ExecutionProvider.resolve(config.device());
    LOG.infof(
        "ONNX Runtime execution provider: %s (minibert.device=%s, %d intra-op thread(s))",
        provider.label(), config.device().name().toLowerCase(), config.threads().intraOp());
    source = new RegistryModelSource(config.store(), config.model(), Path.of(config.cacheDir()));
    loadSuccesses =
        Counter.builder("minibert.model.reloads")
            .tag("result", "success")
            .description("model versions loaded and swapped in")
            .register(registry);
    loadFailures =
        Counter.builder("minibert.model.reloads")
            .tag("result", "failure")
            .description("model versions that failed to fetch, verify or load")
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
    holder.setNotReadyReason("loading from " + source.uri());
    executor.execute(() -> initialLoad(config.retry().initialBackoff()));
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

  /** Tries until a version serves, backing off exponentially between tries; then starts polling. */
  private void initialLoad(Duration backoff) {
    try {
      Optional<String> version = wanted();
      if (version.isPresent()) {
        load(version.get());
        schedulePolling();
        return;
      }
      lastError =
          "no version is published yet: "
              + source.uri()
              + "/"
              + ModelLayout.latestKey(config.model())
              + " does not exist";
      holder.setNotReadyReason(lastError);
    } catch (Exception | LinkageError e) {
      lastError = describe(e);
      holder.setNotReadyReason(lastError);
      if (e instanceof LinkageError) {
        LOG.error("cannot load the model", e);
      }
    }
    LOG.warnf("no model to serve yet (%s); retrying in %d ms", lastError, backoff.toMillis());
    Duration next = backoff.multipliedBy(2);
    Duration max = config.retry().maxBackoff();
    Duration capped = next.compareTo(max) > 0 ? max : next;
    if (!executor.isShutdown()) {
      executor.schedule(() -> initialLoad(capped), backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void schedulePolling() {
    Duration interval = config.pollInterval();
    if (config.version().isPresent()) {
      LOG.infof("serving the pinned version %s: no hot reload", config.version().get());
    } else if (interval.isZero() || interval.isNegative()) {
      LOG.info("minibert.poll-interval is 0: no hot reload");
    } else {
      executor.scheduleWithFixedDelay(
          this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One hot-reload check. */
  void poll() {
    String version = null;
    try {
      Optional<String> latest = source.latest();
      if (latest.isEmpty()) {
        return;
      }
      version = latest.get();
      ServedVersion serving = holder.peek();
      if ((serving != null && serving.version().equals(version))
          || version.equals(rejectedVersion)) {
        return;
      }
      LOG.infof(
          "LATEST is %s: loading it beside %s",
          version, serving == null ? "nothing" : serving.version());
      load(version);
    } catch (Exception | LinkageError e) {
      lastError = describe(e);
      if (version != null) {
        rejectedVersion = version;
        LOG.errorf(
            "version %s rejected, %s keeps serving: %s",
            version, holder.peek() == null ? "nothing" : holder.peek().version(), lastError);
      } else {
        LOG.warnf("cannot read LATEST from %s: %s", source.uri(), lastError);
      }
    }
  }

  private Optional<String> wanted() throws Exception {
    if (config.version().isPresent()) {
      return config.version();
    }
    return source.latest();
  }

  private void load(String version) throws Exception {
    long start = System.nanoTime();
    ServedVersion model;
    try {
      ModelSource.Fetched fetched = source.fetch(version);
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
      try {
        model.warmUp();
      } catch (Exception e) {
        model.release();
        throw e;
      }
    } catch (Exception | LinkageError e) {
      loadFailures.increment();
      throw e;
    }
    holder.swap(model);
    loadSuccesses.increment();
    rejectedVersion = null;
    lastError = null;
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
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  public String storeUri() {
    return source == null ? config.store() : source.uri();
  }

  /** The last load or poll failure, or null. */
  public String lastError() {
    return lastError;
  }

  public boolean started() {
    return started;
  }
}
