package org.minibert.core.tokenizer;

import java.util.List;

/** BERT's special tokens; they take the first ids of every vocabulary this project writes. */
public final class SpecialTokens {
  public static final String PAD = "[PAD]";
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final String MASK = "[MASK]";

  public static final int PAD_ID = 0;
  public static final int UNK_ID = 1;
  public static final int CLS_ID = 2;
  public static final int SEP_ID = 3;
  public static final int MASK_ID = 4;

  /** In id order. */
  public static final List<String> ALL = List.of(PAD, UNK, CLS, SEP, MASK);

  /** Continuation prefix of WordPiece sub-words. */
  public static final String CONTINUATION = "##";

  private SpecialTokens() {}

  /**
   * Corpus text with every special-token string broken apart ("[MASK]" becomes "[ MASK ]"), so that
   * the tokenizer reads it as the brackets and the word it is, as any tokenizer without these added
   * tokens would: a literal "[SEP]" in an article must not become a separator inside a training
   * sentence.
   */
  public static String defuse(String text) {
    if (text.indexOf('[') < 0) {
      return text;
    }
    String out = text;
    for (String token : ALL) {
      out = out.replace(token, "[ " + token.substring(1, token.length() - 1) + " ]");
    }
    return out;
  }
}
