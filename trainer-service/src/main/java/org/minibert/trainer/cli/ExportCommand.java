package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.trainer.export.RunPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a run's newest checkpoint to ONNX, check it against the trained model (max |diff| <="
          + " 1e-4),",
      "and publish it with its tokenizer, config and metrics as a new version in the store; LATEST"
          + " moves last."
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "RUN",
      description = "Training run folder.")
  Path run;

  @Mixin StoreOption store;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model name in the store.")
  String model;

  @Option(
      names = "--promote",
      defaultValue = "if-better",
      paramLabel = "always|if-better",
      description =
          "Move LATEST to the new version always, or only if its validation loss beats LATEST's"
              + " (default: ${DEFAULT-VALUE}).")
  String promote;

  @Override
  public Integer call() throws Exception {
    Promotion promotion = Promotion.parse(promote);
    ModelRepository.checkName(model);
    try (ObjectStore objects = ObjectStores.open(store.uri())) {
      RunPublisher.Published published =
          RunPublisher.publish(run, new ModelRepository(objects, model), promotion);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "exported %s (checkpoint at step %d) as %s/%s/versions/%s%n",
          run,
          published.exported().source().step(),
          objects.uri(),
          model,
          published.result().version());
      out.printf(
          "  parity: max |DJL - ONNX Runtime| = %.2e (tolerance %.0e)%n",
          published.exported().parity().maxAbsDiff(), published.exported().parity().tolerance());
      out.printf("  %s%n", published.result().reason());
    }
    return 0;
  }
}
