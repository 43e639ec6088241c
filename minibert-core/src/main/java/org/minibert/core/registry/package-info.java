/**
 * The model registry on an object store: published versions, their manifest, LATEST and its
 * history. Start at {@link org.minibert.core.registry.ModelRepository} (publish, promote, roll
 * back, prune, fetch verified); {@link org.minibert.core.registry.ModelLayout} names the files of a
 * version and {@link org.minibert.core.registry.OnnxContract} the graph's inputs and outputs. Each
 * other class does one step of one protocol: {@link org.minibert.core.registry.VersionPublisher},
 * {@link org.minibert.core.registry.Promoter}, {@link org.minibert.core.registry.LatestPointer},
 * {@link org.minibert.core.registry.PromotionHistory}, {@link
 * org.minibert.core.registry.VersionPruner}, {@link org.minibert.core.registry.VerifiedCache};
 * {@link org.minibert.core.registry.RegistryLock} makes the moves of LATEST and prunes take turns.
 */
package org.minibert.core.registry;
