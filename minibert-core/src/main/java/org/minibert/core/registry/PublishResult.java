package org.minibert.core.registry;

/**
 * The outcome of {@link ModelRepository#publish}: the verified version and the promotion decision.
 *
 * @param manifest the manifest as written and read back
 * @param promoted whether LATEST now points at this version
 * @param reason one sentence saying why, e.g. "promoted: validation loss 4.21 < 4.29 of
 *     20261126T101500Z-1a2b3c"
 */
public record PublishResult(Manifest manifest, boolean promoted, String reason) {
  public String version() {
    return manifest.version();
  }
}
