package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.inference.onnx.MaskScores;

class CandidateRankingTest {

  @Test
  void bestFirstWithoutSpecialTokensTiesToTheLowerId() {
    float[] logits = new float[10];
    logits[SpecialTokens.UNK_ID] = 9; // never a candidate without targets
    logits[7] = 3;
    logits[6] = 2;
    logits[8] = 2;
    List<CandidateRanking.Ranked> ranked =
        CandidateRanking.topK(
            new MaskScores(logits, false), 3, id -> id >= SpecialTokens.ALL.size());
    assertThat(ranked).extracting(CandidateRanking.Ranked::tokenId).containsExactly(7, 6, 8);
    // probabilities over the whole vocabulary, special tokens included
    double sum = Math.exp(9) + Math.exp(3) + 2 * Math.exp(2) + 6;
    assertThat(ranked.get(0).score()).isCloseTo(Math.exp(3) / sum, within(1e-12));
  }

  @Test
  void targetsRestrictTheCandidatesButNotTheSoftmax() {
    float[] logits = {0, 5, 0, 0, 0, 1, 4};
    List<CandidateRanking.Ranked> ranked =
        CandidateRanking.topK(
            new MaskScores(logits, false),
            5,
            new int[] {5, SpecialTokens.UNK_ID},
            new MaskSlot(1, false),
            null);
    assertThat(ranked)
        .extracting(CandidateRanking.Ranked::tokenId)
        .containsExactly(SpecialTokens.UNK_ID, 5);
    double sum = Math.exp(5) + Math.exp(1) + Math.exp(4) + 4;
    assertThat(ranked.get(1).score()).isCloseTo(Math.exp(1) / sum, within(1e-12));
  }

  @Test
  void logProbabilitiesRankAndScoreAsTheirLogitsDo() {
    float[] logits = {0, 5, 0, 0, 0, 1, 4, -3, 2.5f};
    double normaliser = 0;
    for (float v : logits) {
      normaliser += Math.exp(v);
    }
    normaliser = Math.log(normaliser);
    float[] logProbs = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      logProbs[i] = (float) (logits[i] - normaliser);
    }
    List<CandidateRanking.Ranked> fromLogits =
        CandidateRanking.topK(new MaskScores(logits, false), 4, id -> id > 0);
    List<CandidateRanking.Ranked> fromLogProbs =
        CandidateRanking.topK(new MaskScores(logProbs, true), 4, id -> id > 0);
    assertThat(fromLogProbs)
        .extracting(CandidateRanking.Ranked::tokenId)
        .containsExactly(1, 6, 8, 5)
        .isEqualTo(fromLogits.stream().map(CandidateRanking.Ranked::tokenId).toList());
    for (int i = 0; i < fromLogits.size(); i++) {
      assertThat(fromLogProbs.get(i).score()).isCloseTo(fromLogits.get(i).score(), within(1e-6));
    }
    assertThat(new MaskScores(logProbs, true).logNormaliser()).isZero();
    assertThat(new MaskScores(logits, false).logNormaliser()).isCloseTo(normaliser, within(1e-6));
  }
}
