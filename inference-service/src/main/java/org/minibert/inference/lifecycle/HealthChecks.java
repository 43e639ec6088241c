package org.minibert.inference.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * {@code /q/health/ready}: UP only while a verified, warmed-up model is loaded (DOWN says why, in
 * words that name no local path, store address or error text: those are in the log); {@code
 * /q/health/live}: UP while the process runs (a missing model is not a reason to restart it);
 * {@code /q/health/started}: UP once start-up has chosen the execution provider and started the
 * loader.
 */
public final class HealthChecks {
  private HealthChecks() {}

  @Readiness
  @ApplicationScoped
  public static class ModelReady implements HealthCheck {
    @Inject CurrentVersion holder;
    @Inject ModelLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
      HealthCheckResponseBuilder response = HealthCheckResponse.named("model");
      ServedVersion model = holder.peek();
      if (model == null) {
        return response.down().withData("reason", holder.notReadyReason()).build();
      }
      response
          .up()
          .withData("version", model.version())
          .withData("provider", model.provider().label());
      if (lifecycle.lastError() != null) {
        response.withData("last_error", lifecycle.lastError());
      }
      return response.build();
    }
  }

  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.up("service");
    }
  }

  @Startup
  @ApplicationScoped
  public static class Started implements HealthCheck {
    @Inject ModelLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("startup").status(lifecycle.started()).build();
    }
  }
}
