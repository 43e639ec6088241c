package org.minibert.core.registry;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;
import org.minibert.core.store.StoreException;

/**
 * Whether a verified new version replaces LATEST ({@link Promotion}), and one sentence saying why.
 * Reads LATEST's manifest; writes nothing. With {@link Promotion#IF_BETTER}, the held-out text loss
 * decides when both manifests have a score on the same text (same sha256); otherwise the validation
 * loss does.
 */
final class PromotionPolicy {
  private PromotionPolicy() {}

  /**
   * The decision and its reason, e.g. "promoted: validation loss 4.21 < 4.29 of
   * 20261126T101500Z-1a2b3c".
   */
  record Decision(boolean promote, String reason) {
    static Decision promote(String reason) {
      return new Decision(true, reason);
    }

    static Decision keep(String reason) {
      return new Decision(false, reason);
    }
  }

  /**
   * @param now what LATEST holds now; one that is not a version id (empty, damaged) counts as no
   *     LATEST, with a warning in the reason
   */
  static Decision decide(
      Manifest candidate, Promotion promotion, LatestPointer.Current now, StoredVersions stored)
      throws IOException {
    Optional<String> current = now.version();
    String invalid =
        now.isInvalid() ? " (warning: " + now.describeInvalid() + ", not a version id)" : "";
    if (promotion == Promotion.ALWAYS) {
      return Decision.promote(
          "promoted: --promote always" + current.map(c -> " (was " + c + ")").orElse("") + invalid);
    }
    if (now.isInvalid()) {
      return Decision.promote(
          "promoted: warning: "
              + now.describeInvalid()
              + ", not a version id; treated as no LATEST");
    }
    if (current.isEmpty()) {
      return Decision.promote("promoted: first promoted version of " + stored.model());
    }
    String latest = current.get();
    String key = stored.manifestKey(latest);
    Optional<byte[]> latestBytes = stored.store().getBytes(key);
    if (latestBytes.isEmpty()) {
      return Decision.promote("promoted: LATEST " + latest + " has no manifest");
    }
    Manifest latestManifest;
    try {
      latestManifest = stored.parseManifest(key, latestBytes.get());
    } catch (StoreException unreadable) {
      return Decision.promote("promoted: the manifest of LATEST " + latest + " is unreadable");
    }
    Manifest.HeldOutText text = candidate.heldOutText();
    Manifest.HeldOutText latestText = latestManifest.heldOutText();
    if (text != null && text.sameText(latestText)) {
      String same = " (same text, sha256 " + abbreviate(text.sha256()) + ")";
      if (text.mlmLoss() < latestText.mlmLoss()) {
        return Decision.promote(
            "promoted: held-out text loss "
                + format(text.mlmLoss())
                + " < "
                + format(latestText.mlmLoss())
                + " of "
                + latest
                + same);
      }
      return Decision.keep(
          "kept LATEST at "
              + latest
              + ": held-out text loss "
              + format(text.mlmLoss())
              + " is not better than "
              + format(latestText.mlmLoss())
              + same);
    }
    String textsDiffer =
        text != null && latestText != null
            ? " (held-out texts differ, sha256 "
                + abbreviate(text.sha256())
                + " vs "
                + abbreviate(latestText.sha256())
                + ", so validation loss decided)"
            : "";
    Decision byValidation =
        byValidationLoss(candidate.validationLoss(), latestManifest.validationLoss(), latest);
    return new Decision(byValidation.promote(), byValidation.reason() + textsDiffer);
  }

  private static Decision byValidationLoss(Double loss, Double latestLoss, String latest) {
    if (loss == null) {
      return Decision.keep(
          "kept LATEST at "
              + latest
              + ": the new version's validation loss is unknown"
              + (latestLoss == null
                  ? " (so is LATEST's; use --promote always)"
                  : ", LATEST's is " + format(latestLoss)));
    }
    if (latestLoss == null) {
      return Decision.promote(
          "promoted: validation loss " + format(loss) + " is known, that of " + latest + " is not");
    }
    if (loss < latestLoss) {
      return Decision.promote(
          "promoted: validation loss "
              + format(loss)
              + " < "
              + format(latestLoss)
              + " of "
              + latest);
    }
    return Decision.keep(
        "kept LATEST at "
            + latest
            + ": validation loss "
            + format(loss)
            + " is not better than "
            + format(latestLoss));
  }

  /** The first 8 hex digits of a sha256: enough to tell texts apart in a sentence. */
  private static String abbreviate(String sha256) {
    return sha256.length() <= 8 ? sha256 : sha256.substring(0, 8);
  }

  /** Losses to 6 significant digits: enough to tell runs apart, short enough to read. */
  static String format(double loss) {
    return new BigDecimal(loss).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
