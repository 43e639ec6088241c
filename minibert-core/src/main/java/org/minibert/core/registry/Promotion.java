package org.minibert.core.registry;

/** Whether publishing a version moves LATEST to it ({@code --promote always|if-better}). */
public enum Promotion {
  /** Always serve the new version (a deliberate rollout, or a rollback by re-publishing). */
  ALWAYS,
  /**
   * Serve the new version only when it is measurably better: there is no LATEST yet, or, when both
   * were scored on the same held-out text (same sha256), its held-out text loss is lower than
   * LATEST's, otherwise its validation loss is lower than LATEST's. A version with an unknown loss
   * never replaces one with a known loss.
   */
  IF_BETTER;

  /** Parses the command line spelling: {@code always}, {@code if-better}. */
  public static Promotion parse(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "always" -> ALWAYS;
      case "if-better", "if_better" -> IF_BETTER;
      default ->
          throw new IllegalArgumentException(
              "unknown promotion '" + text + "': use always or if-better");
    };
  }
}
