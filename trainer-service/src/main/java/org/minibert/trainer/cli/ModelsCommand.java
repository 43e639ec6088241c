package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.VersionInfo;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List the published versions of a model, oldest first, and mark the one LATEST points at.",
      "A version is INCOMPLETE when its upload did not finish or its files do not match its"
          + " manifest."
    })
public final class ModelsCommand implements Callable<Integer> {
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StoreOption store;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
  String model;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ObjectStore objects = ObjectStores.open(store.uri())) {
      ModelRepository repo = new ModelRepository(objects, model);
      List<VersionInfo> versions = repo.versions();
      Optional<String> latest = repo.latest();
      if (versions.isEmpty()) {
        out.printf("no versions of %s in %s%n", model, objects.uri());
        return 0;
      }
      out.printf(
          "%s in %s: %d versions, LATEST %s%n",
          model, objects.uri(), versions.size(), latest.orElse("not set"));
      out.printf("  %-24s %-19s  %9s  %s%n", "VERSION", "CREATED (UTC)", "VAL LOSS", "STATUS");
      for (VersionInfo v : versions) {
        out.printf(
            "%s %-24s %-19s  %9s  %s%n",
            v.latest() ? "*" : " ",
            v.id(),
            v.createdAt() == null ? "-" : CREATED.format(v.createdAt()),
            v.validationLoss() == null
                ? "-"
                : String.format(Locale.ROOT, "%.4f", v.validationLoss()),
            (v.complete() ? "complete" : "INCOMPLETE (" + v.problem() + ")")
                + (v.latest() ? "  <- LATEST" : ""));
      }
      if (latest.isPresent() && versions.stream().noneMatch(VersionInfo::latest)) {
        out.printf("warning: LATEST points at %s, which is not in the store%n", latest.get());
      }
    }
    return 0;
  }
}
