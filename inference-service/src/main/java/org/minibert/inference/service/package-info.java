/**
 * Inference over the current version: requests become jobs (validated and tokenized), jobs run
 * through the batcher, rows of the model's output become answers; with the serving metrics and
 * tracing. Start reading at {@link org.minibert.inference.service.InferenceService}.
 */
package org.minibert.inference.service;
