/**
 * BERT for pre-training in DJL, named as Hugging Face's {@code modeling_bert.py} names it: start at
 * {@link org.minibert.trainer.model.BertForPreTraining} and read down through the embeddings, the
 * encoder's layers (self-attention, intermediate, output), the pooler and the two heads (LM, NSP);
 * {@link org.minibert.trainer.model.PreTrainingLoss} is the MLM + NSP loss and {@link
 * org.minibert.trainer.model.BertConfig} the model's shape.
 */
package org.minibert.trainer.model;
