/**
 * The tokenizer, and the one owner of the {@code tokenizer.json} pipeline. {@link
 * org.minibert.core.tokenizer.TokenizerJson} says what the pipeline is (normalizer, pre-tokenizer,
 * WordPiece, template) and writes it; {@link org.minibert.core.tokenizer.BertTokenizer} loads a
 * version's file and encodes single texts and pairs, with the glued-mask rule for {@code [MASK]}
 * written against a word. Texts of common characters take a Java path ({@link
 * org.minibert.core.tokenizer.CommonTextEncoder}) that gives the library's tokens and offsets;
 * everything else goes through the Hugging Face library, the reference the Java code is tested
 * against. {@link org.minibert.core.tokenizer.BertPreTokenizer} mirrors the normalizer and
 * pre-tokenizer for the trainer's word counts; {@link org.minibert.core.tokenizer.WordPieceMatcher}
 * (greedy longest match), {@link org.minibert.core.tokenizer.BertCharacters} and {@link
 * org.minibert.core.tokenizer.HangulJamo} are the pieces the Java paths share.
 */
package org.minibert.core.tokenizer;
