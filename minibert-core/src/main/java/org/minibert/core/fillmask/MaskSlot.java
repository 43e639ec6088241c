package org.minibert.core.fillmask;

import java.util.ArrayList;
import java.util.List;
import org.minibert.core.tokenizer.BertCharacters;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * A {@code [MASK]} in an encoded input and what may fill it. A mask written right after a piece of
 * a word ("서울[MASK]", or the second of "[MASK][MASK]") continues that word, so only {@code ##}
 * pieces fit it; a mask after a space, after punctuation or at the start takes a word start.
 * Special tokens fill no mask.
 *
 * <p>The one place where the cloze probes and the inference service find their masks and their
 * candidates.
 *
 * @param position token index of the mask in the encoding
 * @param continuation whether the mask continues the word before it
 */
public record MaskSlot(int position, boolean continuation) {

  /** The masks of an encoding, in order. */
  public static List<MaskSlot> find(Encoded encoded, BertTokenizer tokenizer) {
    List<MaskSlot> slots = new ArrayList<>();
    int[] ids = encoded.ids();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == SpecialTokens.MASK_ID) {
        slots.add(new MaskSlot(i, continuesWord(encoded, i, tokenizer)));
      }
    }
    return slots;
  }

  /** Whether a vocabulary piece can stand in this mask. */
  public boolean accepts(int id, BertTokenizer tokenizer) {
    return id >= SpecialTokens.ALL.size() && tokenizer.isContinuation(id) == continuation;
  }

  private static boolean continuesWord(Encoded encoded, int at, BertTokenizer tokenizer) {
    if (at == 0) {
      return false;
    }
    int before = encoded.ids()[at - 1];
    boolean adjacent =
        encoded.ends()[at - 1] >= 0 && encoded.ends()[at - 1] == encoded.starts()[at];
    if (!adjacent) {
      return false;
    }
    if (before == SpecialTokens.MASK_ID || before == SpecialTokens.UNK_ID) {
      return true;
    }
    if (before < SpecialTokens.ALL.size()) {
      return false;
    }
    String text = BertTokenizer.pieceText(tokenizer.token(before));
    return !text.isEmpty() && !BertCharacters.standsAlone(text.codePointBefore(text.length()));
  }
}
