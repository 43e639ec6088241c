/**
 * The tokenizer both services use: {@link org.minibert.core.tokenizer.BertTokenizer} loads a
 * version's {@code tokenizer.json} (Hugging Face format, WordPiece) and encodes single texts and
 * pairs, with the glued-mask rule for {@code [MASK]} written against a word. Texts of common
 * characters take a Java path ({@link org.minibert.core.tokenizer.CommonTextEncoder}) that gives
 * the library's tokens and offsets; everything else goes through the Hugging Face library, the
 * reference the Java path is tested against. {@link org.minibert.core.tokenizer.WordPieceMatcher},
 * {@link org.minibert.core.tokenizer.BertCharacters} and {@link
 * org.minibert.core.tokenizer.HangulJamo} are the pieces of the pipeline.
 */
package org.minibert.core.tokenizer;
