package org.minibert.inference.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/**
 * Latency histograms (Prometheus buckets) for the HTTP server's per-endpoint request timer, and a
 * bounded {@code method} tag: Quarkus tags HTTP metrics with the method as sent, so every invented
 * method ({@code FOO /fill-mask}) would make a new series; those are all {@code OTHER}.
 */
@Singleton
public class MetricsSetup {
  static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  @Produces
  @Singleton
  public MeterFilter boundedMethods() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String method = id.getTag("method");
        if (!id.getName().startsWith("http.server") || method == null) {
          return id;
        }
        return KNOWN_METHODS.contains(method) ? id : id.withTag(Tag.of("method", "OTHER"));
      }
    };
  }

  @Produces
  @Singleton
  public MeterFilter requestHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getName().equals("http.server.requests")) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
              .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }
}
