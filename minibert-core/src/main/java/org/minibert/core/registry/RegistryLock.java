package org.minibert.core.registry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.minibert.core.io.Json;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time for the moves of LATEST and for prune: a lease in {@code
 * <model>/REGISTRY.lock}, taken and handed back with the store's compare-and-set ({@link
 * ObjectStore#putBytesIf}), so it works the same on S3 and in a folder and across machines.
 *
 * <p>The store has no transactions across keys: a prune that read LATEST and then deleted a version
 * could race a promote of that version, and two promotions could append to HISTORY.json in another
 * order than LATEST took them. Under this lock a move reads LATEST, checks its target still has its
 * manifest, replaces LATEST and appends the history; a prune reads LATEST and the rollback target
 * and deletes the manifests of what it removes. What is slow (verifying a version's files, deleting
 * the files of a pruned version, which without its manifest can no longer be promoted) runs outside
 * it.
 *
 * <p>A holder that dies leaves the lease to expire: {@link #LEASE} is far longer than the few small
 * requests made under it. Readers (the inference service) never take it.
 */
final class RegistryLock {
  static final String NAME = "REGISTRY.lock";
  static final Duration LEASE = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The leases this thread holds, by store and key: taking one again inside it (a move of LATEST
   * made from within another, as tests do to stage races) nests instead of waiting on itself.
   */
  private static final ThreadLocal<java.util.Map<String, Integer>> HELD_HERE =
      ThreadLocal.withInitial(java.util.HashMap::new);

  /**
   * The lock object's content.
   *
   * @param owner who holds it (host and process), for messages
   * @param token this holder's random id
   * @param expiresAt when the lease ends (ISO-8601); null once released
   */
  record Lease(String owner, String token, String expiresAt) {}

  private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);

  private final StoredVersions stored;
  private final Clock clock;
  private final Duration lease;

  /**
   * @param lease how long the lock is held at most, so how long a writer that died blocks others; a
   *     waiter gives up after half as long again
   */
  RegistryLock(StoredVersions stored, Clock clock, Duration lease) {
    this.stored = stored;
    this.clock = clock;
    this.lease = lease;
  }

  /** The held lease; {@link #close()} hands it back. */
  final class Held implements AutoCloseable {
    private final String token;

    private Held(String token) {
      this.token = token;
    }

    /**
     * Hands the lease back, unless it expired and was taken over meanwhile. The moves made under it
     * have happened: a failure here is a warning, and the lease expires by itself.
     */
    @Override
    public void close() {
      java.util.Map<String, Integer> held = HELD_HERE.get();
      int depth = held.getOrDefault(id(), 1);
      if (depth > 1) {
        held.put(id(), depth - 1);
        return;
      }
      held.remove(id());
      try {
        Optional<ObjectStore.Tagged> now = stored.store().getTagged(key());
        if (now.isPresent() && token.equals(parse(now.get().content()).token())) {
          stored
              .store()
              .putBytesIf(key(), bytes(new Lease(null, null, null)), Optional.of(now.get().tag()));
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} was not handed back, it expires by itself: {}", id(), e.getMessage());
      }
    }
  }

  /**
   * Takes the lease, waiting while another writer holds it.
   *
   * @throws StoreException when it is still held after the wait
   */
  Held acquire() throws IOException {
    java.util.Map<String, Integer> held = HELD_HERE.get();
    if (held.containsKey(id())) {
      held.merge(id(), 1, Integer::sum);
      return new Held(null);
    }
    Held taken = take();
    held.put(id(), 1);
    return taken;
  }

  private Held take() throws IOException {
    long deadline = System.nanoTime() + lease.plus(lease.dividedBy(2)).toNanos();
    long pauseMs = 5;
    while (true) {
      Optional<ObjectStore.Tagged> current = stored.store().getTagged(key());
      Lease found = current.map(t -> parse(t.content())).orElse(null);
      if (found == null || isFree(found)) {
        String token = HexFormat.of().formatHex(randomBytes());
        Lease mine = new Lease(owner(), token, clock.instant().plus(lease).toString());
        if (stored.store().putBytesIf(key(), bytes(mine), current.map(ObjectStore.Tagged::tag))) {
          return new Held(token);
        }
        continue; // another writer took it between the read and the write: look again
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StoreException(
            stored.location(key())
                + " is held by "
                + found.owner()
                + " until "
                + found.expiresAt()
                + " (another promote, rollback, publish or prune); try again");
      }
      sleep(pauseMs + RANDOM.nextInt((int) pauseMs + 1));
      pauseMs = Math.min(200, pauseMs * 2);
    }
  }

  private boolean isFree(Lease lease) {
    if (lease.token() == null || lease.expiresAt() == null) {
      return true; // released
    }
    try {
      return !Instant.parse(lease.expiresAt()).isAfter(clock.instant());
    } catch (RuntimeException unreadable) {
      return true; // a damaged lock must not block the registry forever
    }
  }

  private static Lease parse(byte[] content) {
    try {
      return Json.MAPPER.readValue(content, Lease.class);
    } catch (IOException | RuntimeException damaged) {
      return new Lease(null, null, null); // unreadable: treated as free, replaced by the next taker
    }
  }

  private static byte[] bytes(Lease lease) throws IOException {
    return Json.MAPPER.writeValueAsBytes(lease);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String owner() {
    return ManagementFactory.getRuntimeMXBean().getName(); // pid@host
  }

  private static void sleep(long ms) throws StoreException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the registry lock", e);
    }
  }

  String key() {
    return stored.model() + "/" + NAME;
  }

  private String id() {
    return stored.location(key());
  }
}
