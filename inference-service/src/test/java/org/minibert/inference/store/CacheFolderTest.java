package org.minibert.inference.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model cache is the user's own: never a shared /tmp, owner-only, never another user's. */
class CacheFolderTest {
  @TempDir Path tmp;

  @Test
  void theDefaultIsTheUsersCacheFolderNotTmp() {
    assertThat(CacheFolder.choose(Optional.empty(), Map.of(), "/home/ada"))
        .isEqualTo(Path.of("/home/ada/.cache/minibert"));
    assertThat(CacheFolder.choose(Optional.empty(), Map.of("XDG_CACHE_HOME", "/x/cache"), "/h"))
        .isEqualTo(Path.of("/x/cache/minibert"));
    assertThat(CacheFolder.choose(Optional.of("/srv/cache"), Map.of("XDG_CACHE_HOME", "/x"), "/h"))
        .isEqualTo(Path.of("/srv/cache"));
  }

  @Test
  void aNewFolderIsCreatedOwnerOnly() throws IOException {
    Path folder = CacheFolder.prepare(tmp.resolve("a/b/minibert"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
  }

  @Test
  void anExistingFolderOfOursThatOthersMayWriteIsMadePrivate() throws IOException {
    Path folder = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    CacheFolder.prepare(folder);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFolderOfAnotherUserIsRefused() throws IOException {
    Path folder = Files.createDirectory(tmp.resolve("planted"));
    giveToNobody(folder);
    assertThatThrownBy(() -> CacheFolder.prepare(folder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to")
        .hasMessageContaining("minibert.cache-dir");
  }

  @Test
  void aLinkIsRefused() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThatThrownBy(() -> CacheFolder.prepare(link)).hasMessageContaining("link");
  }

  /**
   * Gives {@code path} to the user nobody; skips the test where this process may not (not root).
   */
  static void giveToNobody(Path path) {
    try {
      UserPrincipal nobody =
          path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(path, nobody);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot give a folder to another user here: " + e);
    }
  }
}
