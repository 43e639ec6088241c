/**
 * Learning the vocabulary: {@link org.minibert.trainer.tokenizer.WordPieceTrainer} counts words cut
 * as the tokenizer will cut them ({@link org.minibert.trainer.tokenizer.BertPreTokenizer}) and
 * learns WordPiece pieces; {@link org.minibert.trainer.tokenizer.TokenizerJsonWriter} writes them
 * as the {@code tokenizer.json} that {@code org.minibert.core.tokenizer} reads.
 */
package org.minibert.trainer.tokenizer;
