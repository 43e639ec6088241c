package org.minibert.core.registry;

import java.time.Instant;

/**
 * One published version, as {@link ModelRepository#versions()} sees it.
 *
 * @param id the version id
 * @param problem why the version is incomplete ("no manifest.json", "model.onnx is missing"), or
 *     null when its manifest is present and readable and every file it lists is stored with the
 *     listed size. That is a cheap check from one listing; {@link ModelRepository#fetch} verifies
 *     checksums.
 * @param createdAt from the manifest, else from the id; null when neither says
 * @param validationLoss from the manifest; null when unknown
 * @param latest LATEST points at this version
 */
public record VersionInfo(
    String id, String problem, Instant createdAt, Double validationLoss, boolean latest) {
  public boolean complete() {
    return problem == null;
  }
}
