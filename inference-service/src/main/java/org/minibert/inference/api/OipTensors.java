package org.minibert.inference.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.minibert.inference.service.Candidate;
import org.minibert.inference.service.FillMaskResult;
import org.minibert.inference.service.MaskPrediction;
import org.minibert.inference.service.NspResult;

/**
 * The output tensors of the two tasks, and their metadata.
 *
 * <p>Fill-mask, for N texts with M {@code [MASK]}s each and K candidates per mask: {@code output-0}
 * BYTES [N], the best token of every mask joined by a space (what KServe's Hugging Face runtime
 * answers for fill-mask), then {@code tokens} BYTES, {@code scores} FP32 (softmax probability),
 * {@code token_ids} INT64 and {@code sequences} BYTES (the text with that candidate), each [N, M,
 * K], best first.
 *
 * <p>Next-sentence prediction, for N pairs: {@code probability} FP32 [N] (that the second text
 * follows the first), {@code is_next} BOOL [N], {@code logits} FP32 [N, 2] ([follows, random]).
 */
final class OipTensors {
  static final String BEST = "output-0";
  static final String TOKENS = "tokens";
  static final String SCORES = "scores";
  static final String TOKEN_IDS = "token_ids";
  static final String SEQUENCES = "sequences";
  static final String PROBABILITY = "probability";
  static final String IS_NEXT = "is_next";
  static final String LOGITS = "logits";

  private static final long ANY = -1;

  private OipTensors() {}

  static List<OipDtos.TensorMetadata> fillMaskInputs() {
    return List.of(new OipDtos.TensorMetadata("text", OipRequest.BYTES, List.of(ANY)));
  }

  static List<OipDtos.TensorMetadata> fillMaskOutputs() {
    List<Long> nmk = List.of(ANY, ANY, ANY);
    return List.of(
        new OipDtos.TensorMetadata(BEST, "BYTES", List.of(ANY)),
        new OipDtos.TensorMetadata(TOKENS, "BYTES", nmk),
        new OipDtos.TensorMetadata(SCORES, "FP32", nmk),
        new OipDtos.TensorMetadata(TOKEN_IDS, "INT64", nmk),
        new OipDtos.TensorMetadata(SEQUENCES, "BYTES", nmk));
  }

  static List<OipDtos.TensorMetadata> nspInputs() {
    return List.of(
        new OipDtos.TensorMetadata("first", OipRequest.BYTES, List.of(ANY)),
        new OipDtos.TensorMetadata("second", OipRequest.BYTES, List.of(ANY)));
  }

  static List<OipDtos.TensorMetadata> nspOutputs() {
    return List.of(
        new OipDtos.TensorMetadata(PROBABILITY, "FP32", List.of(ANY)),
        new OipDtos.TensorMetadata(IS_NEXT, "BOOL", List.of(ANY)),
        new OipDtos.TensorMetadata(LOGITS, "FP32", List.of(ANY, 2L)));
  }

  /**
   * @throws ApiException 400 when the texts have different numbers of masks (the tensors are
   *     rectangular)
   */
  static List<OipDtos.OutputTensor> fillMask(List<FillMaskResult> results) {
    long n = results.size();
    int m = results.get(0).masks().size();
    int k = Integer.MAX_VALUE;
    for (FillMaskResult r : results) {
      if (r.masks().size() != m) {
        throw new ApiException(
            400,
            "the texts have different numbers of [MASK] ("
                + m
                + " and "
                + r.masks().size()
                + "); the output tensors are [texts, masks, top_k]: send such texts in separate"
                + " requests");
      }
      for (MaskPrediction mask : r.masks()) {
        k = Math.min(k, mask.candidates().size());
      }
    }
    List<String> best = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<String> sequences = new ArrayList<>();
    for (FillMaskResult r : results) {
      best.add(
          r.masks().stream()
              .map(mask -> mask.candidates().get(0).token())
              .collect(Collectors.joining(" ")));
      for (MaskPrediction mask : r.masks()) {
        for (Candidate c : mask.candidates().subList(0, k)) {
          tokens.add(c.token());
          scores.add((float) c.score());
          ids.add((long) c.tokenId());
          sequences.add(c.sequence());
        }
      }
    }
    List<Long> nmk = List.of(n, (long) m, (long) k);
    return List.of(
        new OipDtos.OutputTensor(BEST, "BYTES", List.of(n), best),
        new OipDtos.OutputTensor(TOKENS, "BYTES", nmk, tokens),
        new OipDtos.OutputTensor(SCORES, "FP32", nmk, scores),
        new OipDtos.OutputTensor(TOKEN_IDS, "INT64", nmk, ids),
        new OipDtos.OutputTensor(SEQUENCES, "BYTES", nmk, sequences));
  }

  static List<OipDtos.OutputTensor> nsp(List<NspResult> results) {
    long n = results.size();
    List<Float> probability = new ArrayList<>();
    List<Boolean> isNext = new ArrayList<>();
    List<Float> logits = new ArrayList<>();
    for (NspResult r : results) {
      probability.add((float) r.probability());
      isNext.add(r.isNext());
      for (double l : r.logits()) {
        logits.add((float) l);
      }
    }
    return List.of(
        new OipDtos.OutputTensor(PROBABILITY, "FP32", List.of(n), probability),
        new OipDtos.OutputTensor(IS_NEXT, "BOOL", List.of(n), isNext),
        new OipDtos.OutputTensor(LOGITS, "FP32", List.of(n, 2L), logits));
  }

  /**
   * Only the outputs asked for, in the order asked; all when none were.
   *
   * @throws ApiException 400 for a name the task has no output of
   */
  static List<OipDtos.OutputTensor> select(List<OipDtos.OutputTensor> all, List<String> requested) {
    if (requested.isEmpty()) {
      return all;
    }
    List<OipDtos.OutputTensor> out = new ArrayList<>();
    for (String name : requested) {
      out.add(
          all.stream()
              .filter(t -> t.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ApiException(
                          400,
                          "unknown output "
                              + name
                              + "; this model has "
                              + all.stream().map(OipDtos.OutputTensor::name).toList())));
    }
    return out;
  }
}
