/**
 * Where model versions come from: the service's one adapter to minibert-core's model registry and
 * the local cache of verified copies. Start reading at {@link
 * org.minibert.inference.store.ModelSource}.
 */
package org.minibert.inference.store;
