/**
 * The version being served: a loaded model (session, tokenizer, manifest) with reference counting,
 * and the holder that swaps it atomically. Start reading at {@link
 * org.minibert.inference.version.CurrentVersion}.
 */
package org.minibert.inference.version;
