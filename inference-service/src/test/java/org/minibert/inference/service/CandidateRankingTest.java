package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.tokenizer.SpecialTokens;

class CandidateRankingTest {

  @Test
  void bestFirstWithoutSpecialTokensTiesToTheLowerId() {
    float[] logits = new float[10];
    logits[SpecialTokens.UNK_ID] = 9; // never a candidate without targets
    logits[7] = 3;
    logits[6] = 2;
    logits[8] = 2;
    List<CandidateRanking.Ranked> ranked =
        CandidateRanking.topK(logits, 3, id -> id >= SpecialTokens.ALL.size());
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
            logits, 5, new int[] {5, SpecialTokens.UNK_ID}, new MaskSlot(1, false), null);
    assertThat(ranked)
        .extracting(CandidateRanking.Ranked::tokenId)
        .containsExactly(SpecialTokens.UNK_ID, 5);
    double sum = Math.exp(5) + Math.exp(1) + Math.exp(4) + 4;
    assertThat(ranked.get(1).score()).isCloseTo(Math.exp(1) / sum, within(1e-12));
  }
}
