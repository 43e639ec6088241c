/**
 * Learning the vocabulary: {@link org.minibert.trainer.tokenizer.WordPieceTrainer} counts words cut
 * as the tokenizer will cut them ({@link org.minibert.core.tokenizer.BertPreTokenizer}) and learns
 * WordPiece pieces; {@link org.minibert.trainer.tokenizer.TokenizerJsonWriter} writes them as the
 * project's {@code tokenizer.json} ({@link org.minibert.core.tokenizer.TokenizerJson}).
 */
package org.minibert.trainer.tokenizer;
