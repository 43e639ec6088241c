/**
 * The trainer: {@link org.minibert.trainer.TrainerCli} is the entry point of its jar and image. The
 * packages follow the data flow: {@code corpus} (reading and cleaning text), {@code tokenizer}
 * (learning the WordPiece vocabulary), {@code data} (the prepared data set and the pre-training
 * instances), {@code model} (BERT in DJL), {@code train} (the training loop), {@code run} (the run
 * folder), {@code evaluate} (held-out figures, probes), {@code export} (ONNX, safetensors, the
 * version folder and publishing), and {@code cli} (one command per stage).
 */
package org.minibert.trainer;
