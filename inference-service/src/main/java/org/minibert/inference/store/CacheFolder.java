package org.minibert.inference.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The local cache of verified versions, private to the user running the service: by default {@code
 * $XDG_CACHE_HOME/minibert}, else {@code ~/.cache/minibert} (never a shared {@code /tmp}, where
 * another local user could plant or swap files), created owner-only ({@code 0700}). A folder that
 * belongs to another user is refused at start-up; one of ours that others may write is made
 * private.
 */
public final class CacheFolder {
  private static final Logger LOG = Logger.getLogger(CacheFolder.class);
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private CacheFolder() {}

  /** The folder to use: the configured one, else the user's cache folder. */
  public static Path choose(Optional<String> configured, Map<String, String> env, String home) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      return Path.of(configured.get());
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
    return base.resolve("minibert");
  }

  /**
   * Creates {@code folder} owner-only when it is missing, and checks that an existing one is a
   * folder (not a link) of the user running the service, private to them.
   *
   * @throws IOException when it cannot be created or is not ours
   */
  public static Path prepare(Path folder) throws IOException {
    Path absolute = folder.toAbsolutePath();
    boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (Files.notExists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(absolute.getParent());
      if (posix) {
        Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createDirectory(absolute);
      }
      return absolute;
    }
    if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "the model cache "
              + absolute
              + " is not a folder (or is a link); set minibert.cache-dir");
    }
    if (!posix) {
      return absolute;
    }
    UserPrincipal owner = Files.getOwner(absolute, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal self = currentUser(absolute);
    if (!owner.equals(self)) {
      throw new IOException(
          "the model cache "
              + absolute
              + " belongs to "
              + owner.getName()
              + ", not to "
              + self.getName()
              + " who runs the service; set minibert.cache-dir to a folder of your own");
    }
    PosixFileAttributeView view =
        Files.getFileAttributeView(
            absolute, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (!view.readAttributes().permissions().equals(OWNER_ONLY)) {
      LOG.infof("making the model cache %s private to its owner (0700)", absolute);
      view.setPermissions(OWNER_ONLY);
    }
    return absolute;
  }

  /**
   * True when {@code entry} is no link and belongs to {@code owner} (pruning deletes only those).
   */
  static boolean ownedBy(Path entry, UserPrincipal owner) throws IOException {
    return !Files.isSymbolicLink(entry)
        && (!entry.getFileSystem().supportedFileAttributeViews().contains("posix")
            || Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).equals(owner));
  }

  /**
   * The user this process runs as: the owner of a file it creates (user.name can be a stranger's).
   */
  static UserPrincipal currentUser(Path folder) throws IOException {
    Path probe = Files.createTempFile(folder, ".owner-", "");
    try {
      return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
