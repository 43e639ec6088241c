package org.minibert.trainer.tokenizer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * A WordPiece vocabulary: tokens in id order, the special tokens first (ids 0 to 4), continuation
 * pieces carrying the {@code ##} prefix. Hangul appears as conjoining jamo, as the normalizer
 * leaves it.
 *
 * @param tokens the tokens, the position in the list being the id
 */
public record Vocabulary(List<String> tokens) {
  public Vocabulary {
    tokens = List.copyOf(tokens);
    if (tokens.size() < SpecialTokens.ALL.size()
        || !tokens.subList(0, SpecialTokens.ALL.size()).equals(SpecialTokens.ALL)) {
      throw new IllegalArgumentException("a vocabulary must start with " + SpecialTokens.ALL);
    }
    Set<String> seen = new HashSet<>();
    for (String token : tokens) {
      if (token.isEmpty() || !seen.add(token)) {
        throw new IllegalArgumentException("empty or repeated token: '" + token + "'");
      }
    }
  }

  public int size() {
    return tokens.size();
  }
}
