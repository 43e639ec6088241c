package org.minibert.inference.service;

import java.util.List;

/**
 * The candidates for one {@code [MASK]} of a text, best first.
 *
 * @param position the token index of the mask in the model input ({@code [CLS]} is 0)
 * @param start UTF-16 offset of the {@code [MASK]} in the text
 * @param end end offset (exclusive)
 */
public record MaskPrediction(int position, int start, int end, List<Candidate> candidates) {}
