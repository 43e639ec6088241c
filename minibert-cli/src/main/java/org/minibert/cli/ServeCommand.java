package org.minibert.cli;

import java.util.concurrent.Callable;
import org.minibert.cli.service.ServiceProcess;
import org.minibert.trainer.cli.HelpOption;
import org.minibert.trainer.cli.StoreOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serve}: the packaged inference service in a child process. Options left out are not
 * passed, so the service's own configuration (and its {@code MINIBERT_*} environment) decides.
 */
@Command(
    name = "serve",
    description = {
      "Start the inference service (Quarkus + ONNX Runtime) on the newest published version of a"
          + " model;",
      "it hot-swaps to new versions as LATEST moves. An option left out keeps the service's own"
          + " setting (its MINIBERT_* environment variable, else its default; see docs/serve.md)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin HelpOption help;

  @Mixin StoreOption store;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Model name (default: the service's minibert.model).")
  String model;

  @Option(names = "--port", description = "HTTP port (default: the service's quarkus.http.port).")
  Integer port;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      description =
          "How often to look for a new LATEST, e.g. 30s; 0 disables (default: the service's"
              + " minibert.poll-interval).")
  String pollInterval;

  @Option(
      names = "--version",
      paramLabel = "ID",
      description = "Serve this version instead of LATEST.")
  String version;

  @Option(
      names = "--device",
      paramLabel = "auto|cuda|cpu",
      description = "ONNX Runtime execution provider (default: the service's minibert.device).")
  String device;

  @Override
  public Integer call() throws Exception {
    ServiceProcess.Builder service =
        ServiceProcess.builder().port(port).setting("minibert.store", store.uri());
    setIfGiven(service, "minibert.model", model);
    setIfGiven(service, "minibert.poll-interval", pollInterval);
    setIfGiven(service, "minibert.device", device);
    setIfGiven(service, "minibert.version", version);
    try (ServiceProcess running = service.start()) {
      return running.waitFor();
    }
  }

  private static void setIfGiven(ServiceProcess.Builder service, String key, String value) {
    if (value != null) {
      service.setting(key, value);
    }
  }
}
