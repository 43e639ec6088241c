package org.minibert.core.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.minibert.core.store.ObjectStore;

/**
 * LATEST read with its tag and replaced only if unchanged since (compare-and-set, {@link
 * ObjectStore#putBytesIf}), so two publishers cannot both act on the LATEST they read. A LATEST
 * that holds no version id (empty, or garbage) is read as {@link Current#invalidText()} instead of
 * failing, so a publish can repair it.
 */
final class LatestPointer {
  private final StoredVersions stored;

  LatestPointer(StoredVersions stored) {
    this.stored = stored;
  }

  /**
   * What LATEST holds now.
   *
   * @param version the promoted version, empty when there is none (or LATEST is invalid)
   * @param tag the tag to replace it against, empty when there is no LATEST object
   * @param invalidText the text of a LATEST that is not a version id, or null
   */
  record Current(Optional<String> version, Optional<String> tag, String invalidText) {
    boolean isInvalid() {
      return invalidText != null;
    }

    /** For messages: "'text'" or "an empty LATEST". */
    String describeInvalid() {
      return invalidText.isEmpty() ? "LATEST is empty" : "LATEST holds '" + invalidText + "'";
    }
  }

  Current read() throws IOException {
    Optional<ObjectStore.Tagged> tagged = stored.store().getTagged(key());
    if (tagged.isEmpty()) {
      return new Current(Optional.empty(), Optional.empty(), null);
    }
    String text = new String(tagged.get().content(), StandardCharsets.UTF_8).strip();
    Optional<String> tag = Optional.of(tagged.get().tag());
    if (!VersionId.isValid(text)) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
      return new Current(Optional.empty(), tag, shown.replaceAll("\\s+", " "));
    }
    return new Current(Optional.of(text), tag, null);
  }

  /** Points LATEST at {@code version} if it is still what {@code seen} read; false if not. */
  boolean replace(Current seen, String version) throws IOException {
    return stored
        .store()
        .putBytesIf(key(), (version + "\n").getBytes(StandardCharsets.UTF_8), seen.tag());
  }

  String key() {
    return ModelLayout.latestKey(stored.model());
  }
}
