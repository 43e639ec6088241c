/**
 * The object store the registry lives on: {@link org.minibert.core.store.ObjectStore} (the
 * interface, with compare-and-set writes), opened from a URI by {@link
 * org.minibert.core.store.ObjectStores}: a local folder ({@link
 * org.minibert.core.store.LocalFolderStore}) or S3 and MinIO ({@link
 * org.minibert.core.store.S3ObjectStore}). {@link org.minibert.core.store.StoreLimits} bounds every
 * request; {@link org.minibert.core.store.Redaction} keeps credentials out of messages.
 */
package org.minibert.core.store;
