package org.minibert.trainer.cli;

import org.minibert.core.store.ObjectStores;
import picocli.CommandLine.Option;

/**
 * {@code --store}, the object store that versions are published to and served from: one option for
 * every command.
 */
public final class StoreOption {
  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MINIBERT_STORE:-" + ObjectStores.DEFAULT_URI + "}",
      description =
          "s3://bucket[/prefix] or a local folder (default: $MINIBERT_STORE or ./model-store; now"
              + " ${DEFAULT-VALUE}).")
  public String store;

  public String uri() {
    return store;
  }
}
