/**
 * Files that survive a crash and JSON: {@link org.minibert.core.io.AtomicFiles} (write then
 * rename), {@link org.minibert.core.io.Fsync}, {@link org.minibert.core.io.FileDigest} (SHA-256),
 * {@link org.minibert.core.io.FileTrees} and {@link org.minibert.core.io.Json}, the one JSON
 * mapper.
 */
package org.minibert.core.io;
