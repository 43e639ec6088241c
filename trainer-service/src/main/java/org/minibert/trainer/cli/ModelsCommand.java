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
          + " manifest.",
      "Subcommands move LATEST (promote, rollback) and delete old versions (prune)."
    },
    subcommands = {
      ModelsCommand.Promote.class,
      ModelsCommand.Rollback.class,
      ModelsCommand.Prune.class
    })
public final class ModelsCommand implements Callable<Integer> {
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StoreOption store;

  @Option(names = "--model", paramLabel = "NAME", description = "Model name (required).")
  String model;

  /** {@code --store} and {@code --model}, for the subcommands. */
  static final class Target {
    @Mixin StoreOption store;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
    String model;
  }

  @Command(
      name = "promote",
      description =
          "Point LATEST at a published version, after downloading and checking each of its files"
              + " against its manifest.")
  static final class Promote implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin HelpOption help;
    @Mixin Target target;

    @Option(
        names = "--version",
        required = true,
        paramLabel = "VERSION",
        description = "The version id (see: bin/minibert models).")
    String version;

    @Override
    public Integer call() throws Exception {
      try (ObjectStore objects = ObjectStores.open(target.store.uri())) {
        String reason = new ModelRepository(objects, target.model).promote(version);
        spec.commandLine().getOut().printf("%s: %s%n", target.model, reason);
      }
      return 0;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Point LATEST back at the version promoted before it (by HISTORY.json beside LATEST),"
            + " after checking that version's files.",
        "A second rollback goes one promotion further back."
      })
  static final class Rollback implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      try (ObjectStore objects = ObjectStores.open(target.store.uri())) {
        String reason = new ModelRepository(objects, target.model).rollback();
        spec.commandLine().getOut().printf("%s: %s%n", target.model, reason);
      }
      return 0;
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description =
          "Delete all but the N newest versions; LATEST and the version a rollback would return"
              + " to are always kept.")
  static final class Prune implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Option(
        names = "--keep",
        required = true,
        paramLabel = "N",
        description = "How many of the newest versions to keep (at least 1).")
    int keep;

    @Override
    public Integer call() throws Exception {
      try (ObjectStore objects = ObjectStores.open(target.store.uri())) {
        List<String> deleted = new ModelRepository(objects, target.model).prune(keep);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "%s: deleted %d version%s%s%n",
            target.model,
            deleted.size(),
            deleted.size() == 1 ? "" : "s",
            deleted.isEmpty() ? "" : ": " + String.join(", ", deleted));
      }
      return 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (model == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--model=NAME'");
    }
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
      Optional<String> rollback = repo.rollbackTarget();
      if (rollback.isPresent()) {
        out.printf("rollback target: %s (bin/minibert models rollback)%n", rollback.get());
      }
    }
    return 0;
  }
}
