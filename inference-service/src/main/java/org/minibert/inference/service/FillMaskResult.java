package org.minibert.inference.service;

import java.util.List;

/**
 * The predictions for every {@code [MASK]} of one text, in text order, and the version that made
 * them.
 */
public record FillMaskResult(String version, String text, List<MaskPrediction> masks) {}
