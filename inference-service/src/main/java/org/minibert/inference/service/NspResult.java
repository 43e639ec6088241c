package org.minibert.inference.service;

/**
 * Next-sentence prediction for one pair.
 *
 * @param isNext whether the second text follows the first ({@code probability >= 0.5})
 * @param probability softmax probability of "second follows first" (index 0, as in BERT and Hugging
 *     Face)
 * @param logits the two raw logits: [follows, random]
 */
public record NspResult(String version, boolean isNext, double probability, double[] logits) {}
