package org.minibert.trainer.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the inference service (Quarkus + ONNX Runtime) on the newest published version of a"
          + " model;",
      "it hot-swaps to new versions as LATEST moves. Same settings as its MINIBERT_* environment"
          + " variables."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin StoreOption store;

  @Option(
      names = "--model",
      defaultValue = "${env:MINIBERT_MODEL:-minibert}",
      paramLabel = "NAME",
      description = "Model name (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--poll-interval",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "How often to look for a new LATEST; 0 disables (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--version",
      paramLabel = "ID",
      description = "Serve this version instead of LATEST.")
  String version;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cuda|cpu",
      description = "ONNX Runtime execution provider (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("minibert.store", store.uri());
    settings.put("minibert.model", model);
    settings.put("minibert.poll-interval", pollInterval);
    settings.put("minibert.device", device);
    if (version != null) {
      settings.put("minibert.version", version);
    }
    try (InferenceServer server = InferenceServer.start(port, settings)) {
      return server.waitFor();
    }
  }
}
