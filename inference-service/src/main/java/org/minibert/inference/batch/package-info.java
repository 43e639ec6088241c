/**
 * The dynamic batcher: a bounded queue that groups concurrent requests into batches bounded by a
 * request count and a token budget, with the exceptions that ask a client to retry later. Start
 * reading at {@link org.minibert.inference.batch.DynamicBatcher}; it knows nothing of models or
 * HTTP.
 */
package org.minibert.inference.batch;
