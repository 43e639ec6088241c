package org.minibert.core.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.minibert.core.io.Json;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;

/**
 * {@code <model>/HISTORY.json}, beside LATEST: every move of LATEST (a publish that promoted, a
 * {@code models promote}, a {@code models rollback}), oldest first. Written after LATEST, appended
 * with compare-and-set like LATEST, so concurrent writers never lose an entry. {@link
 * #rollbackTarget} replays it as a stack: a promotion pushes a version, a rollback pops one.
 */
final class PromotionHistory {
  static final int ATTEMPTS = 10;

  /**
   * One move of LATEST.
   *
   * @param version what LATEST pointed at afterwards
   * @param at when (ISO-8601)
   * @param action {@code publish}, {@code promote} or {@code rollback}
   * @param reason the one sentence the command printed
   */
  record Entry(String version, String at, String action, String reason) {}

  record History(List<Entry> promotions) {}

  static final String PUBLISH = "publish";
  static final String PROMOTE = "promote";
  static final String ROLLBACK = "rollback";

  private final StoredVersions stored;

  PromotionHistory(StoredVersions stored) {
    this.stored = stored;
  }

  /**
   * @throws StoreException when the history is unreadable
   */
  List<Entry> entries() throws IOException {
    Optional<ObjectStore.Tagged> current = read();
    return current.isEmpty() ? List.of() : parse(current.get().content());
  }

  void append(Entry entry) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<ObjectStore.Tagged> current = read();
      List<Entry> entries = new ArrayList<>();
      if (current.isPresent()) {
        try {
          entries.addAll(parse(current.get().content()));
        } catch (StoreException unreadable) {
          // a damaged history must not block promotions: it starts again from this entry
        }
      }
      entries.add(entry);
      byte[] content = Json.MAPPER.writeValueAsBytes(new History(entries));
      if (stored.store().putBytesIf(key(), content, current.map(ObjectStore.Tagged::tag))) {
        return;
      }
    }
    throw new StoreException(
        stored.location(key()) + " changed " + ATTEMPTS + " times while appending; try again");
  }

  /**
   * The versions a rollback from {@code current} may return to, best first: those promoted before
   * it, newest first, rolled-back ones left out.
   */
  static List<String> rollbackCandidates(List<Entry> entries, String current) {
    List<String> stack = new ArrayList<>();
    for (Entry e : entries) {
      if (ROLLBACK.equals(e.action())) {
        if (!stack.isEmpty()) {
          stack.remove(stack.size() - 1);
        }
      } else {
        stack.add(e.version());
      }
    }
    int top = stack.lastIndexOf(current);
    int from = top >= 0 ? top - 1 : stack.size() - 1; // LATEST set without an entry: the last one
    List<String> candidates = new ArrayList<>();
    for (int i = from; i >= 0; i--) {
      String v = stack.get(i);
      if (!v.equals(current) && !candidates.contains(v)) {
        candidates.add(v);
      }
    }
    return candidates;
  }

  private Optional<ObjectStore.Tagged> read() throws IOException {
    return stored.store().getTagged(key());
  }

  private List<Entry> parse(byte[] content) throws StoreException {
    try {
      History h = Json.MAPPER.readValue(content, History.class);
      return h.promotions() == null ? List.of() : h.promotions();
    } catch (IOException e) {
      throw new StoreException(stored.location(key()) + " is not a promotion history", e);
    }
  }

  String key() {
    return stored.model() + "/" + ModelLayout.HISTORY;
  }
}
