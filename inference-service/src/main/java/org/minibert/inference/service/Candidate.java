package org.minibert.inference.service;

/**
 * One candidate for one {@code [MASK]}.
 *
 * @param tokenId the vocabulary id
 * @param token the token for people: {@code ##} stripped, jamo composed (NFC)
 * @param score its softmax probability over the whole vocabulary
 * @param sequence the original text with this mask filled by the token (other masks left as they
 *     are)
 */
public record Candidate(int tokenId, String token, double score, String sequence) {}
